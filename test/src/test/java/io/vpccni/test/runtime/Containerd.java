package io.vpccni.test.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * containerd 1.6 with its CRI plugin, private to one test: root, state and sockets under {@code dir}, the node's CNI
 * directories, the busybox image (imported from its OCI archive) as the sandbox image, the native snapshotter
 * (a 2 MB image needs nothing faster), runc with cgroupfs. {@code restrict_oom_score_adj} because a sandboxed root
 * lacks CAP_SYS_RESOURCE; AppArmor off so no profile is loaded into the host's kernel; the plugin that would
 * create /opt/containerd off.
 */
final class Containerd implements AutoCloseable {
    final Path socket;
    private final Process process;
    private final Path log;

    private Containerd(Path socket, Process process, Path log) {
        this.socket = socket;
        this.process = process;
        this.log = log;
    }

    static Containerd start(Path dir, InstalledNode cni, Path imageArchive) throws IOException, InterruptedException {
        var home = Files.createDirectories(dir.resolve("containerd"));
        var socket = home.resolve("containerd.sock");
        var config = home.resolve("config.toml");
        Files.writeString(config, """
                version = 2
                root = "%1$s/root"
                state = "%1$s/state"
                disabled_plugins = ["io.containerd.internal.v1.opt", "io.containerd.snapshotter.v1.aufs",
                  "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper",
                  "io.containerd.snapshotter.v1.zfs", "io.containerd.tracing.processor.v1.otlp"]
                [grpc]
                  address = "%2$s"
                [ttrpc]
                  address = "%1$s/containerd.ttrpc.sock"
                [plugins."io.containerd.grpc.v1.cri"]
                  sandbox_image = "%3$s"
                  restrict_oom_score_adj = true
                  disable_apparmor = true
                  [plugins."io.containerd.grpc.v1.cri".containerd]
                    snapshotter = "native"
                    default_runtime_name = "runc"
                    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
                      runtime_type = "io.containerd.runc.v2"
                      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
                        SystemdCgroup = false
                  [plugins."io.containerd.grpc.v1.cri".cni]
                    bin_dir = "%4$s"
                    conf_dir = "%5$s"
                    max_conf_num = 1
                """.formatted(home, socket, BusyboxImage.NAME, cni.binDir, cni.confDir));
        var log = home.resolve("containerd.log");
        var process = new ProcessBuilder("containerd", "--config", config.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        var containerd = new Containerd(socket, process, log);
        try {
            containerd.awaitServing();
            containerd.ctr("images", "import", imageArchive.toString()).orThrow();
            return containerd;
        } catch (RuntimeException | InterruptedException e) {
            containerd.close();
            throw e;
        }
    }

    /** ctr against this containerd, in the CRI's namespace. */
    Command.Result ctr(String... args) {
        var argv = new ArrayList<>(List.of("ctr", "--address", socket.toString(), "--namespace", "k8s.io"));
        argv.addAll(List.of(args));
        return Command.of(argv).run();
    }

    private void awaitServing() throws InterruptedException {
        var deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!(Files.exists(socket) && ctr("version").ok())) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("containerd not serving on " + socket + ":\n" + log());
            }
            Thread.sleep(50);  // a poll interval; the socket's answer decides
        }
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
