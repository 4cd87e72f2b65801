package io.vpccni.ipamd.guard;

import io.vpccni.ipamd.schedule.VirtualThreadScheduler;
import io.vpccni.ipamd.host.KernelEniWiring;
import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.net.Route;
import io.vpccni.ipamd.pool.EniInfo;
import io.vpccni.ipamd.net.RtNetlink;
import io.vpccni.ipamd.owned.OwnedState;
import io.vpccni.ipamd.net.Rule;
import io.vpccni.ipamd.testing.Ip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Flushed pod and ENI rules, routes and addresses come back; what the daemon does not own is left alone. */
@EnabledIfSystemProperty(named = "vpccni.netns", matches = "private", disabledReason = "needs root and test/bin/java-in-netns")
class StateHealerIT {
    @Test
    void flushedRulesAreRestoredAndForeignOnesLeftAlone() throws Exception {
        var owned = List.of(Rule.to(512, IpPrefix.of("10.0.1.5/32"), 254), Rule.from(1536, IpPrefix.of("10.0.1.5/32"), 2),
                Rule.from(32765, IpPrefix.of("10.0.1.20/32"), 2));
        try (var host = RtNetlink.open(); var scheduler = new VirtualThreadScheduler();
             var healer = new StateHealer(host, () -> OwnedState.ofRules(owned), Duration.ofSeconds(30))) {
            for (var r : owned) {
                host.addRule(r);
            }
            Ip.run("rule", "add", "from", "10.9.9.9", "lookup", "7", "priority", "900");  // someone else's
            healer.start(scheduler);

            var started = System.nanoTime();
            for (var r : owned) {
                host.deleteRule(r);  // what a networkd restart does to every foreign rule
            }
            while (!host.rules().containsAll(owned) && System.nanoTime() - started < 5_000_000_000L) {
                Thread.sleep(1);
            }
            // The counter moves just after the rules land (repair of a burst is counted once it completes).
            while (healer.restoredRules() < owned.size() && System.nanoTime() - started < 5_000_000_000L) {
                Thread.sleep(1);
            }
            assertTrue(host.rules().containsAll(owned), "restored: " + host.rules());
            assertEquals(3, healer.restoredRules());

            Ip.run("rule", "del", "priority", "900");  // not ours: never put back
            assertEquals(0, healer.healOnce("a full check").total());
            assertTrue(!Ip.run("rule", "show").contains("10.9.9.9"));
        } finally {
            Ip.quietly("rule", "del", "to", "10.0.1.5", "priority", "512");
            Ip.quietly("rule", "del", "from", "10.0.1.5", "priority", "1536");
            Ip.quietly("rule", "del", "from", "10.0.1.20", "priority", "32765");
            Ip.quietly("rule", "del", "from", "10.9.9.9", "priority", "900");
        }
    }

    /**
     * An ENI's address and route table and a pod's host route, removed the way nm-cloud-setup or a person
     * does it, come back; a route of someone else's on the same link does not.
     */
    @Test
    void removedAddressesAndRoutesAreRestoredAndForeignOnesLeftAlone() throws Exception {
        Ip.run("link", "add", "ens6", "type", "veth", "peer", "name", "ens6p");
        Ip.run("link", "set", "ens6p", "up");
        Ip.run("link", "add", "enipod", "type", "veth", "peer", "name", "enipodp");
        Ip.run("link", "set", "enipod", "up");
        try (var host = RtNetlink.open()) {
            var eniWiring = new KernelEniWiring(host, 9001);
            eniWiring.setUp(new EniInfo("eni-0heal", "02:00:00:00:00:06", 1, 0, false, false, false, "subnet-1", 2, Instant.EPOCH),
                    "ens6", "10.0.1.20", IpPrefix.of("10.0.1.0/24"));
            var pod = Route.link(IpPrefix.of("10.0.1.5/32"), host.link("enipod").orElseThrow().index(), Route.MAIN);
            host.replaceRoute(pod);
            Ip.run("route", "add", "10.0.1.99", "dev", "ens6", "table", "2");  // not ours
            var owned = new OwnedState(eniWiring.ownedRules(), List.of(pod, eniWiring.ownedRoutes().get(0), eniWiring.ownedRoutes().get(1)),
                    eniWiring.ownedAddresses());
            try (var scheduler = new VirtualThreadScheduler(); var healer = new StateHealer(host, () -> owned, Duration.ofSeconds(30))) {
                healer.start(scheduler);

                Ip.run("addr", "flush", "dev", "ens6");
                Ip.run("route", "flush", "table", "2");
                Ip.run("route", "del", "10.0.1.5/32");
                var deadline = System.nanoTime() + 5_000_000_000L;
                while (!restored(host, owned) && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                assertTrue(Ip.run("-4", "addr", "show", "dev", "ens6").contains("inet 10.0.1.20/24"));
                var table = Ip.run("route", "show", "table", "2");
                assertTrue(table.contains("default via 10.0.1.1 dev ens6") && table.contains("10.0.1.1 dev ens6 scope link"), table);
                assertTrue(!table.contains("10.0.1.99"), "someone else's route stays gone: " + table);
                assertTrue(Ip.run("route", "show").contains("10.0.1.5 dev enipod scope link"));
                // How often each came back depends on when passes ran: the kernel itself drops a link's routes
                // when its last address goes, and a pass between the flushes puts them back before the next one.
                assertTrue(healer.restoredRoutes() >= 3, "restored routes: " + healer.restoredRoutes());
                assertTrue(healer.restoredAddresses() >= 1, "restored addresses: " + healer.restoredAddresses());
                assertEquals(0, healer.healOnce("a check with nothing missing").total(), "what is in place is recognised as such");
            }
        } finally {
            Ip.quietly("link", "del", "ens6");
            Ip.quietly("link", "del", "enipod");
            Ip.quietly("rule", "del", "from", "10.0.1.20", "priority", "32765");
        }
    }

    private static boolean restored(io.vpccni.ipamd.net.Netlink host, OwnedState owned) {
        return host.addresses().containsAll(owned.addresses()) && host.routes(0).containsAll(owned.routes());
    }
}
