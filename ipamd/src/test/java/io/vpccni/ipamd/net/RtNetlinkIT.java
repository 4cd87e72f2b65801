package io.vpccni.ipamd.net;

import io.vpccni.ipamd.testing.Ip;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** rtnetlink against the real kernel, observed with ip(8). Runs inside the test's private namespace. */
@EnabledIfSystemProperty(named = "vpccni.netns", matches = "private", disabledReason = "needs root and test/bin/java-in-netns")
class RtNetlinkIT {
    private RtNetlink host;
    private NetNs pod;

    @BeforeEach
    void setUp() {
        Ip.run("netns", "add", "nl-pod");
        pod = NetNs.open(Path.of("/run/netns/nl-pod"));
        host = RtNetlink.open();
    }

    @AfterEach
    void tearDown() {
        host.close();
        pod.close();
        Ip.quietly("netns", "del", "nl-pod");
        Ip.quietly("link", "del", "nltest0");
    }

    @Test
    void vethPeerIsCreatedDirectlyInAnotherNamespace() {
        try (var inPod = RtNetlink.openIn(pod)) {
            inPod.createVeth("eth0", "nltest0", NetNs.current(), 1500, "02:aa:bb:cc:dd:ee");
            var hostSide = host.link("nltest0").orElseThrow();
            assertEquals("02:aa:bb:cc:dd:ee", hostSide.mac());
            assertEquals(1500, hostSide.mtu());
            assertEquals("veth", hostSide.kind());
            assertTrue(inPod.link("eth0").isPresent());
            assertTrue(Ip.in("nl-pod", "link", "show", "eth0").contains("mtu 1500"));
            assertTrue(host.linkByMac("02:AA:BB:CC:DD:EE").isPresent());

            host.setUp("nltest0", true);
            host.setMtu("nltest0", 9001);
            host.setMac("nltest0", "02:00:00:00:00:42");
            var changed = host.link("nltest0").orElseThrow();
            assertTrue(changed.up());
            assertEquals(9001, changed.mtu());
            assertEquals("02:00:00:00:00:42", changed.mac());
        }
    }

    @Test
    void addressesRoutesRulesAndNeighbours() {
        host.createVeth("nltest0", "nltest1", null, 1500, null);
        host.setUp("nltest0", true);
        host.setUp("nltest1", true);
        var index = host.link("nltest0").orElseThrow().index();

        host.addAddress("nltest0", IpPrefix.of("10.9.0.1/24"));
        assertTrue(host.addresses().contains(new Address(index, IpPrefix.of("10.9.0.1/24"))));
        assertTrue(Ip.run("-4", "addr", "show", "dev", "nltest0").contains("10.9.0.1/24"));

        var gw = IpPrefix.ipv4("10.9.0.254");
        host.addRoute(Route.link(IpPrefix.of("10.9.0.254/32"), index, 7));
        host.addRoute(Route.via(IpPrefix.DEFAULT, gw, index, 7));
        assertEquals("default via 10.9.0.254 dev nltest0 \n10.9.0.254 dev nltest0 scope link \n",
                Ip.run("route", "show", "table", "7").replace("proto boot ", ""));
        assertTrue(host.routes(7).contains(Route.via(IpPrefix.DEFAULT, gw, index, 7)));
        host.replaceRoute(Route.via(IpPrefix.DEFAULT, IpPrefix.ipv4("10.9.0.253"), index, 7));
        assertTrue(Ip.run("route", "show", "table", "7").contains("default via 10.9.0.253"));
        host.deleteRoute(Route.via(IpPrefix.DEFAULT, IpPrefix.ipv4("10.9.0.253"), index, 7));
        assertFalse(Ip.run("route", "show", "table", "7").contains("default"));

        var from = Rule.from(1536, IpPrefix.of("10.9.0.5/32"), 7);
        var to = Rule.to(512, IpPrefix.of("10.9.0.5/32"), Route.MAIN);
        var mark = new Rule(1024, null, null, Route.MAIN, 0x80, 0x80);
        host.addRule(from);
        host.addRule(to);
        host.addRule(mark);
        var rules = Ip.run("rule", "show");
        assertTrue(rules.contains("512:\tfrom all to 10.9.0.5 lookup main"), rules);
        assertTrue(rules.contains("1024:\tfrom all fwmark 0x80/0x80 lookup main"), rules);
        assertTrue(rules.contains("1536:\tfrom 10.9.0.5 lookup 7"), rules);
        assertTrue(host.rules().containsAll(java.util.List.of(from, to, mark)));
        host.deleteRule(from);
        host.deleteRule(to);
        host.deleteRule(mark);
        assertFalse(Ip.run("rule", "show").contains("10.9.0.5"));

        var neighbour = new Neighbour(index, IpPrefix.ipv4("169.254.1.1"), "02:11:22:33:44:55", Neighbour.PERMANENT);
        host.setPermanentNeighbour(neighbour);
        host.setPermanentNeighbour(neighbour);  // replace is idempotent
        assertTrue(Ip.run("neigh", "show", "dev", "nltest0").contains("169.254.1.1 lladdr 02:11:22:33:44:55 PERMANENT"));
        assertEquals(java.util.List.of(neighbour), host.neighbours(index));
        host.deleteNeighbour(neighbour);
        assertTrue(host.neighbours(index).isEmpty());

        host.deleteAddress("nltest0", IpPrefix.of("10.9.0.1/24"));
        host.deleteLink("nltest0");
        assertTrue(host.link("nltest1").isEmpty(), "deleting one end removes the pair");
    }

    @Test
    void errorsNameTheOperationTheObjectAndTheErrno() {
        host.createVeth("nltest0", "nltest1", null, 1500, null);
        var index = host.link("nltest0").orElseThrow().index();
        var down = assertThrows(NetlinkException.class, () -> host.addRoute(Route.link(IpPrefix.of("10.0.1.5/32"), index, 2)));
        assertTrue(down.getMessage().endsWith(": ENETDOWN (Device for nexthop is not up)"), down.getMessage());
        host.setUp("nltest0", true);
        host.setUp("nltest1", true);
        host.addRoute(Route.link(IpPrefix.of("10.0.1.5/32"), index, 2));
        var e = assertThrows(NetlinkException.class, () -> host.addRoute(Route.link(IpPrefix.of("10.0.1.5/32"), index, 2)));
        assertEquals(Errno.EEXIST, e.errno());
        assertTrue(e.getMessage().startsWith("RTM_NEWROUTE 10.0.1.5/32 dev nltest0 table 2 scope link: EEXIST"), e.getMessage());

        e = assertThrows(NetlinkException.class, () -> host.deleteLink("nosuchlink"));
        assertEquals(Errno.ENODEV, e.errno());
        assertTrue(e.getMessage().startsWith("RTM_DELLINK nosuchlink: ENODEV"), e.getMessage());

        e = assertThrows(NetlinkException.class, () -> host.createVeth("nltest0", "nltest9", null, 1500, null));
        assertTrue(e.getMessage().contains("EEXIST"), e.getMessage());
        assertTrue(host.link("nosuchlink").isEmpty());

        e = assertThrows(NetlinkException.class, () -> NetNs.open(Path.of("/run/netns/gone")));
        assertEquals("open netns /run/netns/gone: ENOENT (No such file or directory)", e.getMessage());
    }

    @Test
    void workRunsInsideTheNamespaceOnItsOwnThread() throws Exception {
        var inside = pod.run(() -> java.nio.file.Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString());
        var outside = java.nio.file.Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
        assertFalse(inside.equals(outside));
        assertEquals(Ip.run("netns", "identify", String.valueOf(ProcessHandle.current().pid())).strip(), "");
    }
}
