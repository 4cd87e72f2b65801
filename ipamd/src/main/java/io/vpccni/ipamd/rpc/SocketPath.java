package io.vpccni.ipamd.rpc;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Claims the daemon's Unix socket path. A lock file beside the socket ({@code <socket>.lock}) decides
 * which daemon owns the path, so a leftover socket file can be removed without racing a second daemon
 * that starts at the same moment; a live listener that holds no lock (an older daemon) is also refused.
 */
final class SocketPath implements AutoCloseable {
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private final Path socket;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private SocketPath(Path socket, FileChannel lockChannel, FileLock lock) {
        this.socket = socket;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** @throws IOException naming the path and what holds it when another daemon owns it */
    static SocketPath claim(Path socket) throws IOException {
        Files.createDirectories(socket.toAbsolutePath().getParent());
        var lockFile = Path.of(socket + ".lock");
        var channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            var holder = new String(Files.readAllBytes(lockFile), StandardCharsets.US_ASCII).strip();
            channel.close();
            throw new IOException("another aws-k8s-agent (pid " + (holder.isEmpty() ? "unknown" : holder) + ") holds "
                    + lockFile + " and serves " + socket + "; stop it before starting a second one");
        }
        try {
            channel.truncate(0).write(java.nio.ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)));
            removeStale(socket);
            return new SocketPath(socket, channel, lock);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static void removeStale(Path socket) throws IOException {
        if (!Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        var mode = (Integer) Files.getAttribute(socket, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS);
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw new IOException(socket + " exists and is not a socket; refusing to replace it (remove it by hand)");
        }
        try (var probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(socket));
            throw new IOException("a process that does not hold " + socket + ".lock is listening on " + socket
                    + " (an older aws-k8s-agent?); stop it before starting this one");
        } catch (java.net.SocketException refused) {
            Files.delete(socket);  // nobody listens: a leftover from a crashed daemon
        }
    }

    Path socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(socket);
        lock.release();
        lockChannel.close();
    }
}
