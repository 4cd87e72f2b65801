package io.vpccni.ipamd.guard;

import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.net.NetlinkMonitor;
import io.vpccni.ipamd.net.RtNetlink;
import io.vpccni.ipamd.net.Rule;
import io.vpccni.ipamd.pool.AttachmentKey;
import io.vpccni.ipamd.pool.Datastore;
import io.vpccni.ipamd.pool.EniInfo;
import io.vpccni.ipamd.pool.PodIdentity;
import io.vpccni.ipamd.pool.PoolException;
import io.vpccni.ipamd.testing.Ip;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real /lib/systemd/systemd-networkd (udev mode: rw sysfs, seeded udev db, fixed ifindex) in this test's
 * private network namespace, with its own /run and .network directory: it manages ens6, so LinkOwnership refuses
 * ens6; and each restart flushes the pod rules, which the RuleHealer puts back. Prints the flush-to-repair times.
 */
@EnabledIfSystemProperty(named = "vpccni.netns", matches = "private", disabledReason = "needs root and test/bin/java-in-netns")
@EnabledIf("networkdInstalled")
class NetworkdRestartIT {
    private static final int IFINDEX = 4010;

    @TempDir
    Path w;
    private Process networkd;

    static boolean networkdInstalled() {
        return Files.isExecutable(Path.of("/lib/systemd/systemd-networkd"));
    }

    @BeforeEach
    void links() throws IOException {
        Files.createDirectories(w.resolve("run/systemd"));
        var udev = Files.createDirectories(w.resolve("run/udev/data"));
        Files.writeString(udev.resolve("n1"), "I:1\nE:INTERFACE=lo\nG:systemd\n");
        Files.writeString(udev.resolve("n" + IFINDEX), "I:1\nE:INTERFACE=ens6\nG:systemd\n");
        Files.writeString(udev.resolve("n" + (IFINDEX + 1)), "I:1\nE:INTERFACE=ens6p\nG:systemd\n");
        Files.createDirectories(w.resolve("network"));
        Files.writeString(w.resolve("network/70-eks-ens6.network"), """
                [Match]
                Name=ens6

                [Network]
                Address=10.9.0.5/24
                IPv6AcceptRA=no
                LinkLocalAddressing=no

                [Route]
                Table=10001
                Gateway=10.9.0.1
                """);
        Files.writeString(w.resolve("networkd.conf"), "[Network]\n");
        Ip.run("link", "add", "ens6", "index", String.valueOf(IFINDEX), "type", "veth", "peer", "name", "ens6p", "index",
                String.valueOf(IFINDEX + 1));
        Ip.run("link", "set", "ens6p", "up");
    }

    @AfterEach
    void stop() throws InterruptedException {
        stopNetworkd();
        Ip.quietly("link", "del", "ens6");
    }

    private void startNetworkd() throws IOException, InterruptedException {
        var script = "set -e; mount --bind \"$1/run\" /run; mount -t tmpfs tmpfs /usr/lib/systemd/network;"
                + " mount --bind \"$1/network\" /etc/systemd/network; mount --bind \"$1/networkd.conf\" /etc/systemd/networkd.conf;"
                + " exec /lib/systemd/systemd-networkd";
        networkd = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh", w.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(w.resolve("networkd.log").toFile()))
                .start();
        var state = w.resolve("run/systemd/netif/links/" + IFINDEX);
        var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!(Files.exists(state) && Files.readString(state).contains("ADMIN_STATE=configured"))) {
            assertTrue(networkd.isAlive(), "systemd-networkd exited: " + Files.readString(w.resolve("networkd.log")));
            assertTrue(System.nanoTime() < deadline, "ens6 not configured: " + (Files.exists(state) ? Files.readString(state) : "no state"));
            Thread.sleep(20);
        }
    }

    private void stopNetworkd() throws InterruptedException {
        if (networkd != null && networkd.isAlive()) {
            networkd.destroy();
            networkd.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void anEniNetworkdAdoptsLaterIsRefusedForNewPods() throws Exception {
        var index = IFINDEX + 10;
        Files.writeString(w.resolve("run/udev/data/n" + index), "I:1\nE:INTERFACE=ens9\nG:systemd\n");
        Ip.run("link", "add", "ens9", "index", String.valueOf(index), "address", "02:00:00:00:00:09", "type", "veth", "peer", "name", "ens9p");
        try {
            startNetworkd();
            var state = w.resolve("run/systemd/netif/links/" + index);
            var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!(Files.exists(state) && Files.readString(state).contains("ADMIN_STATE=unmanaged")) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            var datastore = new Datastore(Clock.systemUTC(), Duration.ZERO, false);
            datastore.addEni(new EniInfo("eni-0nine", "02:00:00:00:00:09", 4, 0, false, false, false, "s", 5,
                    Instant.EPOCH));
            datastore.addCidr("eni-0nine", IpPrefix.of("10.9.5.10/32"), false);
            var events = new CopyOnWriteArrayList<String>();
            var ownership = new LinkOwnership(new LinkOwnership.Paths(w.resolve("run/systemd/netif/links"), List.of(w.resolve("network")),
                    w.resolve("nm")));
            try (var host = RtNetlink.open()) {
                var guard = new EniGuard(ownership, host, datastore, (reason, message) -> events.add(message));
                guard.recheck();
                assertTrue(guard.refused().isEmpty(), "networkd leaves ens9 unmanaged: " + Files.readString(state));

                // nodeadm's late classification: a file for ens9, then networkd restarts (or reloads) and takes it.
                Files.writeString(w.resolve("network/70-eks-ens9.network"), "[Match]\nName=ens9\n\n[Network]\nAddress=10.9.5.50/24\n");
                guard.recheck();
                assertTrue(guard.refused().containsKey("eni-0nine"), "refused as soon as the file exists, before networkd acts");
                stopNetworkd();
                startNetworkd();
                deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!Files.readString(state).contains("ADMIN_STATE=configured") && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertInstanceOf(Owner.Networkd.class, ownership.ownerOf(index, "ens9", "02:00:00:00:00:09"));
                assertEquals(1, events.size(), events.toString());
                assertTrue(events.getFirst().contains("eni-0nine (ens9)"), events.getFirst());
                assertThrows(PoolException.class,
                        () -> datastore.assign(new AttachmentKey("n", "c", "eth0"),
                                new PodIdentity("ns", "p", "", "")));
            }
        } finally {
            Ip.quietly("link", "del", "ens9");
        }
    }

    @Test
    void withManageForeignRoutingPolicyRulesOffARestartLeavesPodRulesAndTheHealerIdle() throws Exception {
        // The networkd.conf setting an operator can apply instead: then there is nothing to heal.
        Files.writeString(w.resolve("networkd.conf"), "[Network]\nManageForeignRoutingPolicyRules=no\n");
        var owned = List.of(Rule.to(512, IpPrefix.of("10.9.4.1/32"), 254), Rule.from(1536, IpPrefix.of("10.9.4.1/32"), 2));
        try (var host = RtNetlink.open(); var healer = new RuleHealer(host, () -> owned, Duration.ofSeconds(30))) {
            for (var r : owned) {
                host.addRule(r);
            }
            healer.start();
            for (var restart = 0; restart < 3; restart++) {
                stopNetworkd();
                startNetworkd();
            }
            Thread.sleep(200);  // past the healer's debounce, had anything been removed
            assertTrue(host.rules().containsAll(owned), host.rules().toString());
            assertEquals(0, healer.restored());
            healer.close();
            for (var r : owned) {
                host.deleteRule(r);
            }
        }
    }

    @Test
    void networkdOwnsItsLinkAndEveryRestartsFlushIsRepaired() throws Exception {
        startNetworkd();
        var ownership = new LinkOwnership(new LinkOwnership.Paths(w.resolve("run/systemd/netif/links"), List.of(w.resolve("network")),
                w.resolve("nm")));
        var owner = ownership.ownerOf(IFINDEX, "ens6", "");
        assertInstanceOf(Owner.Networkd.class, owner, owner.describe());
        assertEquals("configured", ((Owner.Networkd) owner).adminState());

        // 100 pods: rule 512 each, and 1536 for the half on a secondary ENI.
        var owned = new ArrayList<Rule>();
        for (var i = 0; i < 100; i++) {
            var ip = IpPrefix.of("10.9.2." + (i + 1) + "/32");
            owned.add(Rule.to(512, ip, 254));
            if (i % 2 == 1) {
                owned.add(Rule.from(1536, ip, 2));
            }
        }
        var lastRemoval = new AtomicLong();
        try (var host = RtNetlink.open(); var healer = new RuleHealer(host, () -> owned, Duration.ofSeconds(30));
             var watch = NetlinkMonitor.start(e -> {
                 if (e instanceof NetlinkMonitor.Event.RuleChanged r && r.removed() && owned.contains(r.rule())) {
                     lastRemoval.compareAndSet(0, System.nanoTime());
                 }
             })) {
            for (var r : owned) {
                host.addRule(r);
            }
            healer.start();
            // A pod's host route and an unmanaged ENI's table, on a link networkd leaves alone (ens6p), and a
            // route of ours on the link it manages.
            Ip.run("route", "add", "10.9.3.1/32", "dev", "ens6p", "table", "2");
            Ip.run("route", "add", "10.9.3.2/32", "dev", "ens6p");
            Ip.run("route", "add", "10.9.3.3/32", "dev", "ens6", "table", "3");
            var repairs = new ArrayList<Long>();
            for (var restart = 0; restart < 20; restart++) {
                lastRemoval.set(0);
                stopNetworkd();
                startNetworkd();  // at start networkd removes every rule it does not know: ours included
                var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while ((lastRemoval.get() == 0 || !host.rules().containsAll(owned)) && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                assertTrue(host.rules().containsAll(owned), "after restart " + restart + ": " + host.rules());
                if (lastRemoval.get() != 0) {
                    repairs.add(System.nanoTime() - lastRemoval.get());
                }
            }
            // What makes refusing managed ENIs enough: a restart drops foreign routes only on links networkd manages.
            var routes = Ip.run("route", "show", "table", "all");
            assertTrue(routes.contains("10.9.3.1 dev ens6p table 2") && routes.contains("10.9.3.2 dev ens6p"), routes);
            assertTrue(!routes.contains("10.9.3.3"), "networkd drops foreign routes on its own link: " + routes);
            assertTrue(healer.restored() >= 2, "networkd flushed the pod rules and they were restored (" + healer.restored() + ")");
            var sorted = repairs.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("networkd restarts: %d with %d pod rules, flushes seen: %d, flush-to-repair median %.1f ms, max %.1f ms,"
                    + " restored %d%n", 20, owned.size(), sorted.length, sorted.length == 0 ? 0 : sorted[sorted.length / 2] / 1e6,
                    sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6, healer.restored());
            System.out.println(Arrays.toString(Arrays.stream(sorted).map(n -> n / 1000).toArray()));
            healer.close();
            for (var r : owned) {  // later tests in this namespace must not find our rules
                host.deleteRule(r);
            }
            Ip.quietly("route", "del", "10.9.3.1/32", "table", "2");
            Ip.quietly("route", "del", "10.9.3.2/32");
        }
    }
}
