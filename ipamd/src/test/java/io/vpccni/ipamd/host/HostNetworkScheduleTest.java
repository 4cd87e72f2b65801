package io.vpccni.ipamd.host;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vpccni.ipamd.cloud.FakeEc2;
import io.vpccni.ipamd.cloud.FakeImds;
import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.schedule.FakeScheduler;
import io.vpccni.ipamd.testing.CapturedLogs;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The SNAT/CONNMARK pass runs on the scheduler's clock: every interval, a failed pass retried on the next, none after close. */
class HostNetworkScheduleTest {
    private static final Duration INTERVAL = Duration.ofSeconds(30);

    @Test
    void theSnatPassRunsEveryIntervalOnTheSchedulersClockAndNotAfterClose() {
        var passes = new AtomicInteger();
        var nat = new HostNat(NatSettings.fromEnv(Map.of(), "eni"), "ens5", IpPrefix.ipv4("10.0.1.4"), mode -> {
            if (mode == IptablesMode.LEGACY) {
                passes.incrementAndGet();  // each pass reads the legacy backend first
            }
            throw new IllegalStateException("no iptables in a unit test");
        }, null, null, new SimpleMeterRegistry());
        var imds = new FakeImds(new FakeEc2("i-0123", 3));
        var scheduler = new FakeScheduler();
        try (var logs = new CapturedLogs(HostNetwork.class); var network = new HostNetwork(imds, nat, imds.primaryMac())) {
            network.start(scheduler, INTERVAL);
            scheduler.advance(INTERVAL.minusMillis(1));
            assertEquals(0, passes.get(), "nothing before the first interval has passed");
            scheduler.advance(Duration.ofMillis(1));
            assertEquals(1, passes.get());
            scheduler.advance(INTERVAL.multipliedBy(2));
            assertEquals(3, passes.get(), "a failed pass is retried on the next");
            assertEquals(3, logs.count("retried on the next pass"), logs.messages().toString());
            network.close();
            scheduler.advance(INTERVAL.multipliedBy(10));
            assertEquals(3, passes.get(), "none after close");
        }
    }
}
