package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.cloud.FakeEc2;
import io.vpccni.ipamd.cloud.FakeEc2.Fault;
import io.vpccni.ipamd.testing.MutableClock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The sweep at daemon start never stands in the way of the pool: a failure is logged and left to the periodic sweep. */
class LeakedEniCollectorStartTest {
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Fault.class, names = {"THROTTLED", "REFUSED", "UNEXPECTED", "ANSWER_LOST"})
    void aFailingStartSweepReportsNothingDeletedInsteadOfThrowing(Fault fault) {
        var ec2 = new FakeEc2("i-0123", 3);
        ec2.failNext("DescribeNetworkInterfaces", fault);
        var collector = new LeakedEniCollector(ec2, "i-0123", new MutableClock(Instant.parse("2026-11-25T12:00:00Z")));
        assertEquals(List.of(), collector.sweepAtStart());
    }
}
