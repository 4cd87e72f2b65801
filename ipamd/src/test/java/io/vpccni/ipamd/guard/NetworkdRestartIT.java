package io.vpccni.ipamd.guard;

import io.vpccni.ipamd.schedule.VirtualThreadScheduler;
import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.net.NetlinkMonitor;
import io.vpccni.ipamd.net.RtNetlink;
import io.vpccni.ipamd.owned.OwnedState;
import io.vpccni.ipamd.observe.DaemonMetrics;
import io.vpccni.ipamd.observe.MetricsServer;
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
import java.net.InetSocketAddress;
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
 * ens6; and each restart flushes the pod rules, which the StateHealer puts back. Prints the flush-to-repair times.
 */
@EnabledIfSystemProperty(named = "vpccni.netns", matches = "private", disabledReason = "needs root and test/bin/java-in-netns")
@EnabledIf("io.vpccni.ipamd.guard.NetworkdHarness#installed")
class NetworkdRestartIT {
    private static final int IFINDEX = 4010;

    @TempDir
    Path w;
    private NetworkdHarness networkd;

    @BeforeEach
    void links() throws IOException {
        networkd = new NetworkdHarness(w);
        networkd.networkFile("70-eks-ens6.network", """
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
        networkd.vethPair("ens6", IFINDEX, null, true);
    }

    @AfterEach
    void stop() throws InterruptedException {
        networkd.stop();
        Ip.quietly("link", "del", "ens6");
    }

    private void startNetworkd() throws IOException, InterruptedException {
        networkd.startAndAwait(IFINDEX, "configured");
    }

    private void stopNetworkd() throws InterruptedException {
        networkd.stop();
    }

    @Test
    void anEniNetworkdAdoptsLaterIsRefusedForNewPods() throws Exception {
        var index = IFINDEX + 10;
        networkd.vethPair("ens9", index, "02:00:00:00:00:09", true);
        try {
            startNetworkd();
            networkd.await(index, "unmanaged");
            var state = networkd.state(index);
            var datastore = new Datastore(Clock.systemUTC(), Duration.ZERO, false);
            datastore.addEni(new EniInfo("eni-0nine", "02:00:00:00:00:09", 4, 0, false, false, false, "s", 5,
                    Instant.EPOCH));
            datastore.addCidr("eni-0nine", IpPrefix.of("10.9.5.10/32"), false);
            datastore.addCidr("eni-0nine", IpPrefix.of("10.9.5.11/32"), false);
            var running = datastore.assign(new AttachmentKey("n", "running", "eth0"), new PodIdentity("ns", "running", "", ""));
            var events = new CopyOnWriteArrayList<String>();
            var ownership = networkd.ownership();
            var registry = MetricsServer.newRegistry();
            try (var host = RtNetlink.open(); var metricsServer = MetricsServer.start(registry, new InetSocketAddress("127.0.0.1", 0))) {
                var guard = new EniGuard(ownership, host, datastore, (reason, message) -> events.add(message));
                new DaemonMetrics(registry, metricsServer).guard(guard);
                guard.recheck();
                assertTrue(guard.refused().isEmpty(), "networkd leaves ens9 unmanaged: " + Files.readString(state));

                // nodeadm's late classification: a file for ens9, then networkd restarts (or reloads) and takes it.
                networkd.networkFile("70-eks-ens9.network", "[Match]\nName=ens9\n\n[Network]\nAddress=10.9.5.50/24\n");
                guard.recheck();
                assertTrue(guard.refused().containsKey("eni-0nine"), "refused as soon as the file exists, before networkd acts");
                stopNetworkd();
                startNetworkd();
                networkd.await(index, "configured");
                assertInstanceOf(Owner.Networkd.class, ownership.ownerOf(index, "ens9", "02:00:00:00:00:09"));
                assertEquals(1, events.size(), events.toString());
                assertTrue(events.getFirst().contains("eni-0nine (ens9)") && events.getFirst().contains("1 pod(s) already on it keep theirs")
                        && events.getFirst().contains("Unmanaged=yes"), events.getFirst());
                assertThrows(PoolException.class,
                        () -> datastore.assign(new AttachmentKey("n", "c", "eth0"),
                                new PodIdentity("ns", "p", "", "")));
                assertEquals(java.util.Optional.of(running.allocation()), datastore.find(running.allocation().key()),
                        "the pod already there keeps its address");
                String scrape;
                try (var client = java.net.http.HttpClient.newHttpClient()) {
                    scrape = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                    "http://127.0.0.1:" + metricsServer.port() + "/metrics")).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                }
                assertTrue(scrape.contains("awscni_eni_refused{eni=\"eni-0nine\",manager=\"systemd-networkd-next-reload\"} 1")
                        && scrape.contains("awscni_eni_refusals_total 1.0"), scrape);
            }
        } finally {
            Ip.quietly("link", "del", "ens9");
        }
    }

    @Test
    void withManageForeignRoutingPolicyRulesOffARestartLeavesPodRulesAndTheHealerIdle() throws Exception {
        // The networkd.conf setting an operator can apply instead: then there is nothing to heal.
        networkd.networkdConf("[Network]\nManageForeignRoutingPolicyRules=no\n");
        var owned = List.of(Rule.to(512, IpPrefix.of("10.9.4.1/32"), 254), Rule.from(1536, IpPrefix.of("10.9.4.1/32"), 2));
        try (var host = RtNetlink.open(); var scheduler = new VirtualThreadScheduler();
             var healer = new StateHealer(host, () -> OwnedState.ofRules(owned), Duration.ofSeconds(30))) {
            for (var r : owned) {
                host.addRule(r);
            }
            healer.start(scheduler);
            for (var restart = 0; restart < 3; restart++) {
                stopNetworkd();
                startNetworkd();
            }
            Thread.sleep(200);  // past the healer's debounce, had anything been removed
            assertTrue(host.rules().containsAll(owned), host.rules().toString());
            assertEquals(0, healer.restoredRules());
            healer.close();
            for (var r : owned) {
                host.deleteRule(r);
            }
        }
    }

    @Test
    void networkdOwnsItsLinkAndEveryRestartsFlushIsRepaired() throws Exception {
        startNetworkd();
        var owner = networkd.ownership().ownerOf(IFINDEX, "ens6", "");
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
        try (var host = RtNetlink.open(); var scheduler = new VirtualThreadScheduler();
             var healer = new StateHealer(host, () -> OwnedState.ofRules(owned), Duration.ofSeconds(30));
             var watch = NetlinkMonitor.start(e -> {
                 if (e instanceof NetlinkMonitor.Event.RuleChanged r && r.removed() && owned.contains(r.rule())) {
                     lastRemoval.compareAndSet(0, System.nanoTime());
                 }
             })) {
            for (var r : owned) {
                host.addRule(r);
            }
            healer.start(scheduler);
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
            assertTrue(healer.restoredRules() >= 2, "networkd flushed the pod rules and they were restored (" + healer.restoredRules() + ")");
            var sorted = repairs.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("networkd restarts: %d with %d pod rules, flushes seen: %d, flush-to-repair median %.1f ms, max %.1f ms,"
                    + " restored %d%n", 20, owned.size(), sorted.length, sorted.length == 0 ? 0 : sorted[sorted.length / 2] / 1e6,
                    sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1e6, healer.restoredRules());
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
