package io.vpccni.test.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * podman and buildah with private state: the image store under test/target/runtime (kept between runs, so the
 * image is built once); the run root beside it, on a tmpfs of this mount namespace ({@link PrivateHostState}),
 * because podman's database insists on the same run root path every time, and one that vanishes with the
 * namespace makes the next run start as after a reboot, with no container believed running; and a
 * containers.conf of its own whose CNI configuration and plugin directories are the node's. Nothing falls back to
 * /var/lib/containers, /etc/cni or /opt/cni/bin. The settings in containers.conf are the ones podman 4.3 needs in
 * a sandbox: runc (crun's default cgroup handling wants systemd), cgroupfs, and ulimits the sandbox can grant.
 */
record PodmanStore(Path root, Path runRoot, Path containersConf) {
    static PodmanStore create(Path cniBinDir, Path cniConfDir, Path work) {
        try {
            var root = Files.createDirectories(BuildTree.cache().resolve("podman-root"));
            var runRoot = PrivateHostState.PODMAN_RUN_ROOT;
            var conf = work.resolve("containers.conf");
            Files.writeString(conf, """
                    [containers]
                    default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
                    [network]
                    network_backend = "cni"
                    cni_plugin_dirs = ["%s"]
                    network_config_dir = "%s"
                    [engine]
                    runtime = "runc"
                    cgroup_manager = "cgroupfs"
                    events_logger = "file"
                    tmp_dir = "%s"
                    """.formatted(cniBinDir, cniConfDir, runRoot.resolve("libpod")));
            return new PodmanStore(root, runRoot, conf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** podman's global flags for this store. */
    List<String> flags() {
        return List.of("--root", root.toString(), "--runroot", runRoot.toString(), "--storage-driver", "vfs");
    }

    /** The environment that makes podman read this store's containers.conf instead of the host's. */
    Map<String, String> env() {
        return Map.of("CONTAINERS_CONF", containersConf.toString());
    }

    /** The command line a user types to run podman on this store (what {@code sandbox --serve} prints). */
    String commandLine() {
        return "CONTAINERS_CONF=" + containersConf + " podman " + String.join(" ", flags());
    }

    Command.Result podman(String... args) {
        return tool("podman", args);
    }

    Command.Result buildah(String... args) {
        return tool("buildah", args);
    }

    private Command.Result tool(String tool, String... args) {
        var argv = new ArrayList<String>();
        argv.add(tool);
        argv.addAll(flags());
        argv.addAll(List.of(args));
        return Command.of(argv).withEnv(env()).run();
    }
}
