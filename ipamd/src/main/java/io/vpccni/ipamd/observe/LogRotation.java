package io.vpccni.ipamd.observe;

import java.time.Duration;

/**
 * When the daemon's log file is rotated and how many old files are kept.
 *
 * @param maxFileBytes the file is rotated once it has reached this size
 * @param maxBackups   old files kept, gzipped: {@code ipamd.log.1.gz} (newest) to {@code ipamd.log.<maxBackups>.gz}
 * @param maxAge       an old file last written longer ago than this is deleted at the next rotation or start
 * @param checkEvery   how often the file's size is looked at (a stat); the file may pass its size by what is
 *                     written in that time
 */
public record LogRotation(long maxFileBytes, int maxBackups, Duration maxAge, Duration checkEvery) {
    /**
     * Upstream's figures: its logger (pkg/utils/logger) hands lumberjack MaxSize 100 (MiB), MaxBackups 5, MaxAge 30
     * (days) and Compress true, with no variable to change them.
     */
    public static final LogRotation UPSTREAM = new LogRotation(100L * 1024 * 1024, 5, Duration.ofDays(30), Duration.ofSeconds(1));

    public LogRotation {
        if (maxFileBytes < 1 || maxBackups < 1 || maxAge.isNegative() || checkEvery.isNegative()) {
            throw new IllegalArgumentException("log rotation needs a positive size and backup count: " + maxFileBytes
                    + " bytes, " + maxBackups + " backups, max age " + maxAge + ", checked every " + checkEvery);
        }
    }
}
