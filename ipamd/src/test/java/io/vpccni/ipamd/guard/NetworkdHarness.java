package io.vpccni.ipamd.guard;

import io.vpccni.ipamd.testing.Ip;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real /lib/systemd/systemd-networkd in the test's private network namespace, in udev mode (rw sysfs,
 * a seeded udev db, fixed ifindexes), with its own /run, .network directory and networkd.conf under {@code w},
 * so nothing of the host's systemd is seen or touched. Links get a udev db entry only when the test says:
 * without one, networkd keeps a link "pending".
 */
public final class NetworkdHarness implements AutoCloseable {
    private final Path w;
    private Process networkd;

    public NetworkdHarness(Path w) throws IOException {
        this.w = w;
        Files.createDirectories(w.resolve("run/systemd"));
        Files.createDirectories(w.resolve("run/udev/data"));
        Files.createDirectories(w.resolve("network"));
        Files.writeString(w.resolve("networkd.conf"), "[Network]\n");
        udevKnows(1, "lo");
    }

    public static boolean installed() {
        return Files.isExecutable(Path.of("/lib/systemd/systemd-networkd"));
    }

    /** What LinkOwnership reads on a node, pointed at this networkd's directories. */
    public LinkOwnership ownership() {
        return new LinkOwnership(new LinkOwnership.Paths(w.resolve("run/systemd/netif/links"), List.of(w.resolve("network")),
                w.resolve("nm")));
    }

    public void udevKnows(int ifindex, String name) throws IOException {
        Files.writeString(w.resolve("run/udev/data/n" + ifindex), "I:1\nE:INTERFACE=" + name + "\nG:systemd\n");
    }

    /** A veth pair at fixed indexes, the far end up so the near end has carrier; udev knows both when {@code udev}. */
    public void vethPair(String name, int ifindex, String mac, boolean udev) throws IOException {
        if (udev) {
            udevKnows(ifindex, name);
            udevKnows(ifindex + 1, name + "p");
        }
        var cmd = new java.util.ArrayList<>(List.of("link", "add", name, "index", String.valueOf(ifindex)));
        if (mac != null) {
            cmd.addAll(List.of("address", mac));
        }
        cmd.addAll(List.of("type", "veth", "peer", "name", name + "p", "index", String.valueOf(ifindex + 1)));
        Ip.run(cmd.toArray(String[]::new));
        Ip.run("link", "set", name + "p", "up");
    }

    public void networkFile(String name, String content) throws IOException {
        Files.writeString(w.resolve("network").resolve(name), content);
    }

    public void networkdConf(String content) throws IOException {
        Files.writeString(w.resolve("networkd.conf"), content);
    }

    public Path state(int ifindex) {
        return w.resolve("run/systemd/netif/links/" + ifindex);
    }

    public void start() throws IOException {
        var script = "set -e; mount --bind \"$1/run\" /run; mount -t tmpfs tmpfs /usr/lib/systemd/network;"
                + " mount --bind \"$1/network\" /etc/systemd/network; mount --bind \"$1/networkd.conf\" /etc/systemd/networkd.conf;"
                + " exec /lib/systemd/systemd-networkd";
        networkd = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh", w.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(w.resolve("networkd.log").toFile()))
                .start();
    }

    /** Starts networkd and waits until {@code ifindex} reaches {@code adminState}. */
    public void startAndAwait(int ifindex, String adminState) throws IOException, InterruptedException {
        start();
        await(ifindex, adminState);
    }

    public void await(int ifindex, String adminState) throws IOException, InterruptedException {
        var state = state(ifindex);
        var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!(Files.exists(state) && Files.readString(state).contains("ADMIN_STATE=" + adminState + "\n"))) {
            assertTrue(networkd.isAlive(), "systemd-networkd exited: " + Files.readString(w.resolve("networkd.log")));
            assertTrue(System.nanoTime() < deadline, "link " + ifindex + " not " + adminState + ": "
                    + (Files.exists(state) ? Files.readString(state) : "no state"));
            Thread.sleep(20);
        }
    }

    public void stop() throws InterruptedException {
        if (networkd != null && networkd.isAlive()) {
            networkd.destroy();
            networkd.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
