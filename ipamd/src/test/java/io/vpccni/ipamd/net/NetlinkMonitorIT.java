package io.vpccni.ipamd.net;

import io.vpccni.ipamd.testing.Ip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Changes made by someone else (here ip(8)) reach the monitor as typed events. */
@EnabledIfSystemProperty(named = "vpccni.netns", matches = "private", disabledReason = "needs root and test/bin/java-in-netns")
class NetlinkMonitorIT {
    @Test
    void reportsLinkAddressRouteAndRuleChanges() throws Exception {
        var events = new LinkedBlockingQueue<NetlinkMonitor.Event>();
        try (var monitor = NetlinkMonitor.start(events::add)) {
            Ip.run("link", "add", "mon0", "type", "veth", "peer", "name", "mon1");
            Ip.run("link", "set", "mon0", "up");
            Ip.run("link", "set", "mon1", "up");
            Ip.run("addr", "add", "10.77.0.1/24", "dev", "mon0");
            Ip.run("route", "add", "10.78.0.0/16", "via", "10.77.0.2", "table", "9");
            Ip.run("rule", "add", "from", "10.77.0.5", "lookup", "9", "priority", "1536");
            Ip.run("rule", "del", "priority", "1536");
            Ip.run("link", "del", "mon0");

            var link = await(events, e -> e instanceof NetlinkMonitor.Event.LinkChanged l && l.link().name().equals("mon0") && !l.removed());
            assertEquals("veth", ((NetlinkMonitor.Event.LinkChanged) link).link().kind());
            var addr = (NetlinkMonitor.Event.AddressChanged) await(events, e -> e instanceof NetlinkMonitor.Event.AddressChanged);
            assertEquals(IpPrefix.of("10.77.0.1/24"), addr.address().prefix());
            var route = (NetlinkMonitor.Event.RouteChanged) await(events,
                    e -> e instanceof NetlinkMonitor.Event.RouteChanged r && r.route().table() == 9);
            assertEquals(IpPrefix.ipv4("10.77.0.2"), route.route().gateway());
            var added = (NetlinkMonitor.Event.RuleChanged) await(events, e -> e instanceof NetlinkMonitor.Event.RuleChanged);
            assertEquals(Rule.from(1536, IpPrefix.of("10.77.0.5/32"), 9), added.rule());
            var removed = (NetlinkMonitor.Event.RuleChanged) await(events, e -> e instanceof NetlinkMonitor.Event.RuleChanged);
            assertTrue(removed.removed());
            await(events, e -> e instanceof NetlinkMonitor.Event.LinkChanged l && l.link().name().equals("mon0") && l.removed());
        } finally {
            Ip.quietly("link", "del", "mon0");
        }
    }

    private static NetlinkMonitor.Event await(LinkedBlockingQueue<NetlinkMonitor.Event> events,
                                              java.util.function.Predicate<NetlinkMonitor.Event> match) throws InterruptedException {
        while (true) {
            var e = events.poll(5, TimeUnit.SECONDS);
            assertNotNull(e, "no matching netlink event within 5 s");
            if (match.test(e)) {
                return e;
            }
        }
    }
}
