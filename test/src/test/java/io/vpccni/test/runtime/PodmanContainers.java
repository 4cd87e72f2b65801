package io.vpccni.test.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Busybox containers on the node's {@code aws-cni} network, through podman's CNI backend. */
final class PodmanContainers {
    static final String NETWORK = "aws-cni";

    /** A running container: its name, its address, and how long {@code podman run} took (the network set-up included). */
    record Container(String name, String ip, Duration started) {
    }

    private final PodmanStore store;

    PodmanContainers(PodmanStore store) {
        this.store = store;
    }

    /** Removes what an interrupted earlier run left in the shared store (their namespaces died with that run's JVM). */
    void removeAll() {
        store.podman("rm", "--all", "--force", "--time", "0");
    }

    /** Starts a container running the image's own command (whoami on :8080); {@code publish} as for {@code podman run -p}. */
    Container start(String name, String... publish) {
        var args = new ArrayList<>(List.of("run", "-d", "--name", name, "--network", NETWORK,
                "--cgroup-parent", "/" + CgroupHierarchy.PARENT));
        for (var p : publish) {
            args.addAll(List.of("-p", p));
        }
        args.add(BusyboxImage.NAME);
        var run = store.podman(args.toArray(String[]::new));
        run.orThrow();
        var ip = store.podman("inspect", "-f", "{{(index .NetworkSettings.Networks \"" + NETWORK + "\").IPAddress}}", name)
                .orThrow().strip();
        return new Container(name, ip, run.took());
    }

    /** busybox wget inside {@code container}: the body, or a failure with what wget said. */
    Command.Result fetch(Container container, String url) {
        var argv = new ArrayList<>(List.of("exec", container.name()));
        argv.addAll(WhoamiServer.fetch(url, true));
        return store.podman(argv.toArray(String[]::new));
    }

    /** {@code podman rm -f}: the runtime's DEL. @return how long it took */
    Duration remove(Container container) {
        var rm = store.podman("rm", "--force", "--time", "0", container.name());
        rm.orThrow();
        return rm.took();
    }
}
