package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.cloud.FakeEc2;
import io.vpccni.ipamd.cloud.FakeEc2.Fault;
import io.vpccni.ipamd.schedule.FakeScheduler;
import io.vpccni.ipamd.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The periodic sweep runs on the scheduler's clock: once within the jittered start delay, then hourly, failures included. */
class LeakedEniCollectorScheduleTest {
    @Test
    void sweepsAfterTheJitteredStartDelayThenHourlyAndNotAfterClose() {
        var ec2 = new FakeEc2("i-0123", 3);
        var scheduler = new FakeScheduler(new MutableClock(Instant.parse("2026-11-25T12:00:00Z")));
        var collector = new LeakedEniCollector(ec2, "i-0123", scheduler.clock());
        collector.start(scheduler, new Random(7));
        var first = scheduler.dueIn("leaked-eni-collector").orElseThrow();
        assertTrue(first.compareTo(LeakedEniCollector.MAX_START_DELAY) <= 0, "first sweep within the start delay: " + first);

        scheduler.advance(first.minusNanos(1));
        assertEquals(0, ec2.callsOf("DescribeNetworkInterfaces"));
        scheduler.advance(Duration.ofNanos(1));
        assertEquals(1, ec2.callsOf("DescribeNetworkInterfaces"));

        ec2.failNext("DescribeNetworkInterfaces", Fault.UNEXPECTED);
        scheduler.advance(LeakedEniCollector.INTERVAL);
        assertEquals(2, ec2.callsOf("DescribeNetworkInterfaces"), "the hourly sweep, which fails");
        scheduler.advance(LeakedEniCollector.INTERVAL.minusNanos(1));
        assertEquals(2, ec2.callsOf("DescribeNetworkInterfaces"), "a failure waits for the next hour, no retry storm");
        scheduler.advance(Duration.ofNanos(1));
        assertEquals(3, ec2.callsOf("DescribeNetworkInterfaces"));

        collector.close();
        scheduler.advance(LeakedEniCollector.INTERVAL.multipliedBy(5));
        assertEquals(3, ec2.callsOf("DescribeNetworkInterfaces"), "none after close");
    }
}
