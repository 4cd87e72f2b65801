package io.vpccni.cni;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The plugin's log file, rotated with upstream's figures: its plugin logger hands lumberjack MaxSize 100 (MiB),
 * MaxBackups 5 and MaxAge 30 (days). A line that would take the file past the size goes to a fresh file; the old
 * ones are {@code plugin.log.1} (newest) to {@code plugin.log.5}.
 *
 * <p>Unlike lumberjack, which assumes a single writer, this is written by every plugin process at once. Each line
 * is one {@code write(2)} on an {@code O_APPEND} descriptor, so lines never interleave. The common path is open,
 * one {@code fstat} on that descriptor, write, close. Only a file over the size takes the exclusive lock on
 * {@code plugin.log.lock}; under it the size is looked at again by path (another process may have rotated while
 * this one waited), and only then are the files renamed. A process still holding the old file open finishes its
 * one write there, in what is now {@code plugin.log.1}: no line is lost or split.
 *
 * <p>Deliberate difference: old files are not gzipped. Compressing 100 MiB would hold up, by about a second,
 * the one CNI call that happens to rotate, and a process killed half-way would leave a broken archive (lumberjack
 * compresses on a goroutine that a plugin process seldom lives long enough to finish).
 */
final class RotatingLogFile {
    static final long MAX_BYTES = 100L * 1024 * 1024;
    static final int MAX_BACKUPS = 5;
    /** Milliseconds, not a java.time.Duration: its class initialisation costs start-up time on every call. */
    static final long MAX_AGE_MILLIS = 30L * 24 * 60 * 60 * 1000;

    private final String file;
    private final long maxBytes;
    private final int maxBackups;
    private final long maxAgeMillis;

    RotatingLogFile(String file) {
        this(file, MAX_BYTES, MAX_BACKUPS, MAX_AGE_MILLIS);
    }

    /** @param maxAgeMillis 0 for no age limit */
    RotatingLogFile(String file, long maxBytes, int maxBackups, long maxAgeMillis) {
        this.file = file;
        this.maxBytes = maxBytes;
        this.maxBackups = maxBackups;
        this.maxAgeMillis = maxAgeMillis;
    }

    /** The line was appended, but the file could not be rotated. */
    static final class NotRotated extends IOException {
        NotRotated(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Appends {@code line} (one complete line), rotating first when it would take the file past its size.
     *
     * @throws NotRotated  when the line was written but the rotation failed
     * @throws IOException when the line could not be written
     */
    void append(byte[] line) throws IOException {
        try (var out = open()) {
            if (!tooBig(out.getChannel().size(), line.length)) {
                out.write(line);
                return;
            }
        }
        NotRotated rotation = null;
        try {
            rotate(line.length);
        } catch (IOException | RuntimeException e) {
            rotation = new NotRotated("cannot rotate " + file + " (the line was appended to it): " + e, e);
        }
        try (var out = open()) {  // the fresh file, or the same one when the rotation failed
            out.write(line);
        }
        if (rotation != null) {
            throw rotation;
        }
    }

    /** An empty file takes any line: a line longer than the size is kept, never dropped. */
    private boolean tooBig(long size, int lineLength) {
        return size > 0 && size + lineLength > maxBytes;
    }

    private FileOutputStream open() throws IOException {
        try {
            return new FileOutputStream(file, true);
        } catch (FileNotFoundException e) {
            var parent = new File(file).getAbsoluteFile().getParentFile();
            if (parent == null || parent.exists()) {
                throw e;  // not a missing directory: permissions, or a file in the way
            }
            Files.createDirectories(parent.toPath());  // the first call on a node, before the daemon made it
            return new FileOutputStream(file, true);
        }
    }

    private void rotate(int lineLength) throws IOException {
        // A FileLock belongs to the whole JVM: two threads asking for it at once get OverlappingFileLockException,
        // so threads of one process queue here first (the plugin has one; its tests have several).
        synchronized (RotatingLogFile.class) {
            try (var lockFile = FileChannel.open(Path.of(file + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 var ignored = lockFile.lock()) {
                var current = new File(file);
                if (!current.exists() || !tooBig(current.length(), lineLength)) {
                    return;  // rotated by another process while this one waited
                }
                shift(current);
            }
        }
    }

    /** Under the lock: the oldest file goes, each other moves up one, the current file becomes {@code .1}. */
    private void shift(File current) throws IOException {
        var oldest = backup(maxBackups);
        if (oldest.exists() && !oldest.delete()) {
            throw new IOException("cannot delete " + oldest);
        }
        for (var i = maxBackups - 1; i >= 1; i--) {
            var from = backup(i);
            if (from.exists()) {
                Files.move(from.toPath(), backup(i + 1).toPath(), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        Files.move(current.toPath(), backup(1).toPath(), StandardCopyOption.ATOMIC_MOVE);
        deleteExpired();
    }

    private void deleteExpired() {
        if (maxAgeMillis == 0) {
            return;
        }
        var cutoff = System.currentTimeMillis() - maxAgeMillis;
        for (var i = 1; i <= maxBackups; i++) {
            var backup = backup(i);
            var modified = backup.lastModified();  // 0 when absent
            if (modified != 0 && modified < cutoff) {
                backup.delete();  // best effort: the next rotation tries again
            }
        }
    }

    private File backup(int index) {
        return new File(file + "." + index);
    }
}
