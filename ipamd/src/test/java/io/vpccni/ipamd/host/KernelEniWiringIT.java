package io.vpccni.ipamd.host;

import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.net.RtNetlink;
import io.vpccni.ipamd.pool.EniInfo;
import io.vpccni.ipamd.testing.Ip;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A secondary ENI's host side on the real kernel: a veth end stands in for the ENI's link. */
@EnabledIfSystemProperty(named = "vpccni.netns", matches = "private", disabledReason = "needs root and test/bin/java-in-netns")
class KernelEniWiringIT {
    @AfterEach
    void cleanUp() {
        Ip.quietly("link", "del", "ens6");
    }

    @Test
    void wiresTheEniAsUpstreamAndTearsDownExactlyThat() {
        Ip.run("link", "add", "ens6", "type", "veth", "peer", "name", "ens6peer");
        Ip.run("link", "set", "ens6peer", "up");  // the far end: the ENI has carrier
        Ip.run("addr", "add", "192.168.99.9/24", "dev", "ens6");  // left by someone else: not the ENI's address
        var rulesBefore = Ip.run("rule", "show");
        try (var host = RtNetlink.open()) {
            var wiring = new KernelEniWiring(host, 9001);
            var eni = new EniInfo("eni-0abc", "02:00:00:00:00:06", 1, 0, false, false, false, "subnet-1", 2, Instant.EPOCH);
            wiring.setUp(eni, "ens6", "10.0.1.20", IpPrefix.of("10.0.1.0/24"));
            wiring.setUp(eni, "ens6", "10.0.1.20", IpPrefix.of("10.0.1.0/24"));  // idempotent

            var link = Ip.run("link", "show", "ens6");
            assertTrue(link.contains("mtu 9001") && link.contains("UP"), link);
            var addresses = Ip.run("-4", "addr", "show", "dev", "ens6");
            assertTrue(addresses.contains("inet 10.0.1.20/24") && !addresses.contains("192.168.99.9"), addresses);
            assertEquals("default via 10.0.1.1 dev ens6 \n10.0.1.1 dev ens6 scope link \n",
                    Ip.run("route", "show", "table", "2").replace("proto boot ", ""));
            assertFalse(Ip.run("route", "show", "table", "main").contains("10.0.1.0/24"), "no subnet route in main");
            assertTrue(Ip.run("rule", "show").contains("32765:\tfrom 10.0.1.20 lookup 2"));

            wiring.tearDown(eni);
            assertEquals("", Ip.run("route", "show", "table", "2"));
            assertEquals(rulesBefore, Ip.run("rule", "show"));
            assertFalse(Ip.run("-4", "addr", "show", "dev", "ens6").contains("10.0.1.20"));
        }
    }
}
