package io.vpccni.test.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Keeps the container runtimes' fixed host paths private to the test JVM's mount namespace, for as long as a
 * runtime node lives. Whatever their configuration says, they write under /run (runc's and the shims' state in
 * /run/runc, /run/containerd, podman's /run/libpod) and /var/lib (libcni's result cache in /var/lib/cni, the blob
 * cache in /var/lib/containers). Here both are overlays whose writable layers are on a tmpfs of this namespace:
 * the runtimes see the host's files, the host sees none of theirs. /run/netns gets a fresh tmpfs again, as the
 * JVM's wrapper left it, so namespaces made meanwhile stay in this namespace too, and podman's run root is a tmpfs
 * ({@link PodmanStore} says why). {@link #leave} unmounts it all,
 * so the tests that run after the runtime tier in the same JVM find the namespace as the wrapper made it.
 */
final class PrivateHostState {
    private static final List<Path> OVERLAID = List.of(Path.of("/run"), Path.of("/var/lib"));
    /** podman's run root: the same path every time, empty after every {@link #enter}. */
    static final Path PODMAN_RUN_ROOT = BuildTree.cache().resolve("podman-run");
    private static final Deque<Path> mounts = new ArrayDeque<>();
    private static int users;

    private PrivateHostState() {
    }

    /** Overlays /run and /var/lib (the first caller does). Namespaces named in /run/netns before are hidden until {@link #leave}. */
    static synchronized void enter() {
        if (users++ > 0) {
            return;
        }
        try {
            var layers = Files.createDirectories(BuildTree.cache().resolve("host-layers"));
            mount(layers, "-t", "tmpfs", "-o", "mode=0700", "tmpfs");
            for (var dir : OVERLAID) {
                var name = dir.toString().replace('/', '_');
                var upper = Files.createDirectories(layers.resolve(name + "-upper"));
                var work = Files.createDirectories(layers.resolve(name + "-work"));
                mount(dir, "-t", "overlay", "-o", "lowerdir=" + dir + ",upperdir=" + upper + ",workdir=" + work, "overlay");
            }
            mount(Path.of("/run/netns"), "-t", "tmpfs", "-o", "mode=0755", "tmpfs");
            mount(Files.createDirectories(PODMAN_RUN_ROOT), "-t", "tmpfs", "-o", "mode=0700", "tmpfs");
            CgroupHierarchy.mount(PrivateHostState::mount);
        } catch (IOException | RuntimeException e) {
            users = 1;
            leave();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** The last caller unmounts everything {@link #enter} mounted, newest first. */
    static synchronized void leave() {
        if (--users > 0) {
            return;
        }
        users = 0;
        CgroupHierarchy.removeParent();
        while (!mounts.isEmpty()) {
            // lazily: a conmon or shim that outlived its container may still hold a file open for a moment
            Command.of("umount", "--lazy", mounts.pop().toString()).run();
        }
    }

    private static void mount(Path point, String... how) {
        var argv = new ArrayList<>(List.of("mount"));
        argv.addAll(List.of(how));
        argv.add(point.toString());
        Command.of(argv).output();
        mounts.push(point);
    }
}
