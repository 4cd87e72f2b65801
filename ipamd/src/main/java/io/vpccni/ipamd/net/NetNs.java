package io.vpccni.ipamd.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An open network namespace. setns(2) changes only the calling OS thread, so work that must run inside
 * a namespace runs on a fresh platform thread that dies afterwards: never a virtual or pooled thread,
 * which could carry the namespace into unrelated work.
 */
public final class NetNs implements AutoCloseable {
    private final Path path;
    private final int fd;

    private NetNs(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /**
     * Opens the network namespace file {@code path} (e.g. /var/run/netns/cni-1234) without blocking, and
     * refuses anything else: a regular file, a FIFO, a device, or another kind of namespace.
     *
     * @throws NetlinkException ENOENT when it is gone
     * @throws NotANetworkNamespaceException when the file is not a network namespace
     */
    public static NetNs open(Path path) {
        var libc = LibC.get();
        var fd = libc.open(path.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC | LibC.O_NONBLOCK);
        if (fd < 0) {
            var errno = LibC.errno();
            throw new NetlinkException("open netns " + path, errno, libc.strerror(errno));
        }
        var statfs = new byte[120];
        String wrong = null;
        if (libc.fstatfs(fd, statfs) != 0 || ByteBuffer.wrap(statfs).order(ByteOrder.nativeOrder()).getLong(0) != LibC.NSFS_MAGIC) {
            wrong = "is not a namespace file (nsfs)";
        } else if (libc.ioctl(fd, LibC.NS_GET_NSTYPE) != LibC.CLONE_NEWNET) {
            wrong = "is a namespace, but not a network namespace";
        }
        if (wrong != null) {
            libc.close(fd);
            throw new NotANetworkNamespaceException(path + " " + wrong);
        }
        return new NetNs(path, fd);
    }

    /** Thrown when a path given as a network namespace is something else. */
    public static final class NotANetworkNamespaceException extends IllegalArgumentException {
        NotANetworkNamespaceException(String message) {
            super(message);
        }
    }

    /** Whether this is the same namespace as {@code other} (same nsfs inode), whatever path opened each. */
    public boolean sameAs(NetNs other) {
        return java.util.Arrays.equals(identity(), other.identity());
    }

    private byte[] identity() {
        var stat = new byte[144];
        if (LibC.get().fstat(fd, stat) != 0) {
            var errno = LibC.errno();
            throw new NetlinkException("fstat " + path, errno, LibC.get().strerror(errno));
        }
        return java.util.Arrays.copyOf(stat, 16);  // st_dev, st_ino
    }

    /** The namespace of the calling thread (the daemon's host namespace, for its ordinary threads). */
    public static NetNs current() {
        return open(Path.of("/proc/thread-self/ns/net"));
    }

    public Path path() {
        return path;
    }

    int fd() {
        return fd;
    }

    /** Runs {@code work} on a new platform thread that has entered this namespace. */
    public <T> T run(Callable<T> work) {
        var result = new AtomicReference<T>();
        var failure = new AtomicReference<Throwable>();
        var thread = Thread.ofPlatform().name("netns-" + path.getFileName()).unstarted(() -> {
            if (LibC.get().setns(fd, LibC.CLONE_NEWNET) != 0) {
                var errno = LibC.errno();
                failure.set(new NetlinkException("setns " + path, errno, LibC.get().strerror(errno)));
                return;
            }
            try {
                result.set(work.call());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while working in netns " + path, e);
        }
        var t = failure.get();
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error err) {
            throw err;
        }
        if (t != null) {
            throw new IllegalStateException("in netns " + path + ": " + t.getMessage(), new ExecutionException(t));
        }
        return result.get();
    }

    @Override
    public void close() {
        LibC.get().close(fd);
    }

    @Override
    public String toString() {
        return "netns " + path;
    }
}
