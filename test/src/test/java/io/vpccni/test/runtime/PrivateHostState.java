package io.vpccni.test.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Keeps the container runtimes' fixed host paths private to the test JVM's mount namespace. Whatever their
 * configuration says, they write under /run (runc's and the shims' state in /run/runc, /run/containerd, podman's
 * /run/libpod) and /var/lib (libcni's result cache in /var/lib/cni, the blob cache in /var/lib/containers). Here
 * both are overlays whose writable layers are on a tmpfs of this namespace: the runtimes see the host's files, the
 * host sees none of theirs, and every trace goes when the namespace ends. /run/netns gets a fresh tmpfs again, as the
 * JVM's wrapper left it, so namespaces made from here on stay in this namespace too.
 */
final class PrivateHostState {
    private static final List<Path> OVERLAID = List.of(Path.of("/run"), Path.of("/var/lib"));
    private static boolean entered;

    private PrivateHostState() {
    }

    /** Once per JVM: overlays /run and /var/lib. Namespaces named in /run/netns before this are no longer reachable by name. */
    static synchronized void enter() {
        if (entered) {
            return;
        }
        try {
            var layers = Files.createDirectories(BuildTree.cache().resolve("host-layers"));
            Command.of("mount", "-t", "tmpfs", "-o", "mode=0700", "tmpfs", layers.toString()).output();
            for (var dir : OVERLAID) {
                var name = dir.toString().replace('/', '_');
                var upper = Files.createDirectories(layers.resolve(name + "-upper"));
                var work = Files.createDirectories(layers.resolve(name + "-work"));
                Command.of("mount", "-t", "overlay", "overlay", "-o",
                        "lowerdir=" + dir + ",upperdir=" + upper + ",workdir=" + work, dir.toString()).output();
            }
            Command.of("mount", "-t", "tmpfs", "-o", "mode=0755", "tmpfs", "/run/netns").output();
            entered = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
