package io.vpccni.ipamd.install;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files replaced so that a reader sees the old content or the new, never a part: written beside the target under
 * a dot-name with a {@code .tmp} suffix (which no runtime loads as a plugin or a network config), synced, then
 * renamed over it. A runtime may exec a plugin or read the conflist at any moment of an upgrade.
 */
final class AtomicFiles {
    static final Set<PosixFilePermission> EXECUTABLE = PosixFilePermissions.fromString("rwxr-xr-x");
    static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");

    private AtomicFiles() {
    }

    static void write(Path target, byte[] content, Set<PosixFilePermission> mode) throws IOException {
        var temp = temp(target);
        try {
            Files.deleteIfExists(temp);
            Files.write(temp, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            sync(temp);
            Files.setPosixFilePermissions(temp, mode);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    static void copy(Path source, Path target, Set<PosixFilePermission> mode) throws IOException {
        var temp = temp(target);
        try {
            Files.deleteIfExists(temp);
            Files.copy(source, temp);
            sync(temp);
            Files.setPosixFilePermissions(temp, mode);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    static Path temp(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".tmp");
    }

    private static void sync(Path file) throws IOException {
        try (var channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }
}
