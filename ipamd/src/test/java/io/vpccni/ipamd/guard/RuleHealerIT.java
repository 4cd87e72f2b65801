package io.vpccni.ipamd.guard;

import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.net.RtNetlink;
import io.vpccni.ipamd.net.Rule;
import io.vpccni.ipamd.testing.Ip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Flushed pod and ENI rules come back within milliseconds; rules the daemon does not own are left alone. */
@EnabledIfSystemProperty(named = "vpccni.netns", matches = "private", disabledReason = "needs root and test/bin/java-in-netns")
class RuleHealerIT {
    @Test
    void flushedRulesAreRestoredAndForeignOnesLeftAlone() throws Exception {
        var owned = List.of(Rule.to(512, IpPrefix.of("10.0.1.5/32"), 254), Rule.from(1536, IpPrefix.of("10.0.1.5/32"), 2),
                Rule.from(32765, IpPrefix.of("10.0.1.20/32"), 2));
        try (var host = RtNetlink.open(); var healer = new RuleHealer(host, () -> owned, Duration.ofSeconds(30))) {
            for (var r : owned) {
                host.addRule(r);
            }
            Ip.run("rule", "add", "from", "10.9.9.9", "lookup", "7", "priority", "900");  // someone else's
            healer.start();
            Thread.sleep(100);

            var started = System.nanoTime();
            for (var r : owned) {
                host.deleteRule(r);  // what a networkd restart does to every foreign rule
            }
            while (!host.rules().containsAll(owned) && System.nanoTime() - started < 5_000_000_000L) {
                Thread.sleep(1);
            }
            var elapsedMs = (System.nanoTime() - started) / 1_000_000;
            // The counter moves just after the rules land (repair of a burst is counted once it completes).
            while (healer.restored() < owned.size() && System.nanoTime() - started < 5_000_000_000L) {
                Thread.sleep(1);
            }
            assertTrue(host.rules().containsAll(owned), "restored: " + host.rules());
            assertTrue(elapsedMs < 2_000, "restored after " + elapsedMs + " ms");
            assertEquals(3, healer.restored());

            Ip.run("rule", "del", "priority", "900");  // not ours: never put back
            Thread.sleep(200);
            assertTrue(!Ip.run("rule", "show").contains("10.9.9.9"));
        } finally {
            Ip.quietly("rule", "del", "to", "10.0.1.5", "priority", "512");
            Ip.quietly("rule", "del", "from", "10.0.1.5", "priority", "1536");
            Ip.quietly("rule", "del", "from", "10.0.1.20", "priority", "32765");
            Ip.quietly("rule", "del", "from", "10.9.9.9", "priority", "900");
        }
    }
}
