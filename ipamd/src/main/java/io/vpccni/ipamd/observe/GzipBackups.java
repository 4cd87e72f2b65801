package io.vpccni.ipamd.observe;

import ch.qos.logback.core.rolling.RollingPolicyBase;
import ch.qos.logback.core.rolling.RolloverFailure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.zip.GZIPOutputStream;

/**
 * The old files of the daemon's log, kept as lumberjack keeps upstream's: at most {@code maxBackups}, none last
 * written longer than {@code maxAge} ago (zero: no age limit), each gzipped. Names follow the active file:
 * {@code ipamd.log.1.gz} is the newest. A rotation is renames only, done while logback holds its write lock; the
 * gzip of up to 100 MiB runs on a thread of its own, so no line waits for it (lumberjack compresses in the
 * background too). One compression at a time: a rotation first waits for the previous one, which only a tiny size
 * limit ever makes it do. A daemon killed while compressing leaves {@code ipamd.log.1}; the next start finishes it.
 * Failures are logback status messages, never log lines: this runs inside the appender.
 */
final class GzipBackups extends RollingPolicyBase {
    private final LogRotation rotation;
    private Thread compression;  // the running or last compression; guarded by this

    GzipBackups(LogRotation rotation) {
        this.rotation = rotation;
    }

    @Override
    public String getActiveFileName() {
        return getParentsRawFileProperty();
    }

    @Override
    public synchronized void start() {
        finishInterruptedRotation();
        super.start();
    }

    @Override
    public synchronized void stop() {
        try {
            awaitCompression();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        super.stop();
    }

    @Override
    public synchronized void rollover() throws RolloverFailure {
        try {
            awaitCompression();
        } catch (InterruptedException e) {
            // Shifting while the previous compression still writes backup 1 would lose it: keep the current file.
            Thread.currentThread().interrupt();
            throw new RolloverFailure("interrupted while the previous log file was being compressed; " + active() + " not rotated");
        }
        try {
            Files.deleteIfExists(backup(rotation.maxBackups()));
            for (var i = rotation.maxBackups() - 1; i >= 1; i--) {
                if (Files.exists(backup(i))) {
                    Files.move(backup(i), backup(i + 1), StandardCopyOption.ATOMIC_MOVE);
                }
            }
            // A pending file left by a failed compression is replaced: keeping the disk bounded matters more.
            Files.move(active(), pending(), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new RolloverFailure("cannot rotate " + active() + ": " + e);
        }
        compressInBackground();
    }

    /** A rotation the daemon did not live to finish: a half-written gzip is dropped, a pending file compressed. */
    private void finishInterruptedRotation() {
        try {
            Files.deleteIfExists(partial());
            if (Files.exists(pending())) {
                if (Files.exists(backup(1))) {
                    Files.delete(pending());  // compressed already; only its deletion was missed
                } else {
                    compressInBackground();
                    return;
                }
            }
        } catch (IOException e) {
            addError("cannot finish the last rotation of " + active() + ": " + e);
        }
        deleteExpired();
    }

    private void compressInBackground() {
        compression = Thread.ofPlatform().daemon().name("log-gzip").start(() -> {
            compress(pending(), backup(1));
            deleteExpired();
        });
    }

    private void awaitCompression() throws InterruptedException {
        if (compression != null) {
            compression.join();
        }
    }

    /** Into a temporary file renamed when complete: a crash never leaves a truncated backup under its real name. */
    private void compress(Path source, Path target) {
        try {
            try (var in = Files.newInputStream(source);
                 var out = new GZIPOutputStream(Files.newOutputStream(partial(), StandardOpenOption.CREATE,
                         StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), 64 * 1024)) {
                in.transferTo(out);
            }
            Files.setLastModifiedTime(partial(), Files.getLastModifiedTime(source));  // its age is its last line's
            Files.move(partial(), target, StandardCopyOption.ATOMIC_MOVE);
            Files.delete(source);
        } catch (IOException e) {
            addError("cannot gzip " + source + " into " + target + " (kept uncompressed until the next rotation): " + e);
            try {
                Files.deleteIfExists(partial());
            } catch (IOException ignored) {
                // the next start removes it
            }
        }
    }

    private void deleteExpired() {
        if (rotation.maxAge().isZero()) {
            return;
        }
        var cutoff = Instant.now().minus(rotation.maxAge());
        for (var i = 1; i <= rotation.maxBackups(); i++) {
            var backup = backup(i);
            try {
                if (Files.exists(backup) && Files.getLastModifiedTime(backup).toInstant().isBefore(cutoff)) {
                    Files.delete(backup);
                }
            } catch (IOException e) {
                addError("cannot delete the expired log file " + backup + ": " + e);
            }
        }
    }

    private Path active() {
        return Path.of(getActiveFileName());
    }

    Path backup(int index) {
        return sibling("." + index + ".gz");
    }

    /** The file just rotated, until its compression is done. */
    private Path pending() {
        return sibling(".1");
    }

    private Path partial() {
        return sibling(".1.gz.tmp");
    }

    private Path sibling(String suffix) {
        var active = active();
        return active.resolveSibling(active.getFileName() + suffix);
    }
}
