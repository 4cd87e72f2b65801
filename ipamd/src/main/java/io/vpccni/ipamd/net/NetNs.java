package io.vpccni.ipamd.net;

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

    /** Opens {@code path} (e.g. /var/run/netns/cni-1234). @throws NetlinkException ENOENT when it is gone */
    public static NetNs open(Path path) {
        var fd = LibC.get().open(path.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
        if (fd < 0) {
            var errno = LibC.errno();
            throw new NetlinkException("open netns " + path, errno, LibC.get().strerror(errno));
        }
        return new NetNs(path, fd);
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
