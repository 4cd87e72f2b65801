package io.vpccni.test.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * podman as the tests use it: always through test/bin/podman-private (its own image store and run state, never the
 * machine's), containers run inside the test JVM's private namespaces.
 */
final class Podman {
    static final Path BIN = Path.of("bin").toAbsolutePath();  // Failsafe runs in the test module
    private static final Path PODMAN = BIN.resolve("podman-private");
    private static final Path CGROUP = Path.of("/sys/fs/cgroup");

    record Result(int exit, String output) {
    }

    private Podman() {
    }

    /**
     * Builds the image with test/bin/image in the machine's own network and mount namespaces, as a developer runs
     * it: its apt-get and mmdebstrap need Debian's mirror, which the test's private network namespace cannot reach
     * (the build uses the host's network as is and changes nothing in it). @return the image's tag
     */
    static String buildImage() throws IOException, InterruptedException {
        var machine = machineProcess();
        var build = exec(List.of("nsenter", "--net=/proc/" + machine + "/ns/net", "--mount=/proc/" + machine + "/ns/mnt",
                BIN.resolve("image").toString()), 600);
        if (build.exit() != 0) {
            throw new IllegalStateException("test/bin/image failed (" + build.exit() + "):\n" + build.output());
        }
        System.out.println(build.output().lines().filter(l -> l.startsWith("image:") || l.startsWith("base-image:"))
                .reduce((a, b) -> a + "\n" + b).orElse(""));
        return build.output().lines().reduce((a, b) -> b).orElseThrow().strip();  // its last line: the tag
    }

    /**
     * The nearest ancestor outside the test's namespaces (Maven's JVM, which started test/bin/java-in-netns): its
     * namespaces are the machine's. PID 1's cannot be opened where init holds capabilities the tests lack.
     */
    private static long machineProcess() throws IOException {
        var own = Files.readSymbolicLink(Path.of("/proc/self/ns/net"));
        for (var p = ProcessHandle.current().parent(); p.isPresent(); p = p.get().parent()) {
            if (!Files.readSymbolicLink(Path.of("/proc/" + p.get().pid() + "/ns/net")).equals(own)) {
                return p.get().pid();
            }
        }
        throw new IllegalStateException("no ancestor of the test JVM is outside its network namespace");
    }

    /**
     * Containers here run in the test's mount namespace, whose fresh sysfs hides the machine's cgroup mounts: a
     * cgroup2 mount lets crun start them, each with --cgroups=disabled (no cgroup is made for it anywhere).
     * @return whether it mounted (and so {@link #unmountCgroups} should undo it)
     */
    static boolean mountCgroups() throws IOException, InterruptedException {
        if (exec(List.of("sh", "-c", "command -v crun"), 10).exit() != 0) {
            // podman depends on crun | runc, so installing runc too may leave crun out.
            throw new IllegalStateException("crun is missing: apt-get install crun (runc cannot run a container without cgroups)");
        }
        if (Files.exists(CGROUP.resolve("cgroup.controllers"))) {
            return false;
        }
        var mount = exec(List.of("mount", "-t", "cgroup2", "cgroup2", CGROUP.toString()), 10);
        if (mount.exit() != 0) {
            throw new IllegalStateException("cannot mount cgroup2 for the containers: " + mount.output());
        }
        return true;
    }

    static void unmountCgroups() throws IOException, InterruptedException {
        var umount = exec(List.of("umount", CGROUP.toString()), 10);
        if (umount.exit() != 0) {
            throw new IllegalStateException("cannot unmount " + CGROUP + ": " + umount.output());
        }
    }

    /** podman ARGS (run with crun and no cgroups: see {@link #mountCgroups}). */
    static Result podman(List<String> args, long timeoutSeconds) throws IOException, InterruptedException {
        var cmd = new ArrayList<>(List.of(PODMAN.toString(), "--runtime", "crun"));
        cmd.addAll(args);
        return exec(cmd, timeoutSeconds);
    }

    static Result podman(String... args) throws IOException, InterruptedException {
        return podman(List.of(args), 120);
    }

    static Result exec(List<String> cmd, long timeoutSeconds) throws IOException, InterruptedException {
        var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        var output = new StringBuilder();
        var reader = Thread.ofVirtual().start(() -> {
            try {
                output.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                output.append(e);
            }
        });
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor();
        }
        reader.join();
        return new Result(p.exitValue(), output.toString());
    }
}
