package io.vpccni.simcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ThrottlingAndFaultsTest {
    private final ManualClock clock = new ManualClock();
    private Ec2Server server;
    private Ec2Server.AccountEndpoint endpoint;
    private Ec2TestClient ec2;
    private String subnet;

    @BeforeEach
    void setUp() throws Exception {
        var account = new SimulatedAccount("111122223333", "10.0.0.0/16", clock, 7);
        subnet = account.createSubnet("10.0.1.0/24", "us-west-2a");
        account.launchInstance("m5.large", subnet, List.of());
        server = Ec2Server.start(clock);
        endpoint = server.register("AKIDTEST", account);
        ec2 = new Ec2TestClient(server.uri(), "AKIDTEST");
    }

    @AfterEach
    void tearDown() {
        if (server != null) server.close();
    }

    @Test
    void defaultsFollowTheDocumentedCategories() {
        var p = ThrottlePolicy.defaults();
        assertEquals(new ThrottlePolicy.Bucket(200, 5), p.bucketFor("CreateNetworkInterface"));
        assertEquals(new ThrottlePolicy.Bucket(200, 5), p.bucketFor("AssignPrivateIpAddresses"));
        assertEquals(new ThrottlePolicy.Bucket(100, 20), p.bucketFor("DescribeNetworkInterfaces"));
        assertEquals(new ThrottlePolicy.Bucket(50, 10), p.bucketFor("DescribeNetworkInterfaces" + ThrottlePolicy.UNFILTERED));
        assertEquals(new ThrottlePolicy.Bucket(50, 5), p.bucketFor("RunInstances"));
    }

    @Test
    void burstBeyondTheBucketIsThrottledUntilTokensRefill() {
        endpoint.throttler().policy(ThrottlePolicy.defaults().with("DescribeSubnets", new ThrottlePolicy.Bucket(3, 0.5)));
        for (int i = 0; i < 3; i++) ec2.ok("DescribeSubnets", "SubnetId.1", subnet);
        var throttled = ec2.call("DescribeSubnets", "SubnetId.1", subnet);
        assertEquals(503, throttled.status());
        assertEquals("RequestLimitExceeded", throttled.errorCode());
        assertEquals(new ApiCounters.Counts(4, 1, 1), endpoint.counters().of("DescribeSubnets"));

        clock.advance(Duration.ofMillis(1999));
        assertEquals("RequestLimitExceeded", ec2.call("DescribeSubnets", "SubnetId.1", subnet).errorCode(), "half a token per second");
        clock.advance(Duration.ofMillis(1));
        ec2.ok("DescribeSubnets", "SubnetId.1", subnet);
        assertEquals(2, endpoint.counters().throttled("DescribeSubnets"));
    }

    @Test
    void bucketsArePerActionAndUnfilteredDescribesHaveTheirOwn() {
        endpoint.throttler().policy(ThrottlePolicy.defaults()
                .with("DescribeSubnets", new ThrottlePolicy.Bucket(1, 0))
                .with("DescribeSubnets" + ThrottlePolicy.UNFILTERED, new ThrottlePolicy.Bucket(1, 0)));
        ec2.ok("DescribeSubnets", "SubnetId.1", subnet);
        ec2.ok("DescribeSubnets");
        ec2.ok("DescribeInstanceTypes", "InstanceType.1", "m5.large");
        assertEquals("RequestLimitExceeded", ec2.call("DescribeSubnets").errorCode());
        assertEquals("RequestLimitExceeded", ec2.call("DescribeSubnets", "SubnetId.1", subnet).errorCode());
    }

    @Test
    void injectedErrorsFailTheNextCallsThenStop() {
        endpoint.faults().failNext("CreateNetworkInterface", "UnauthorizedOperation", 2);
        for (int i = 0; i < 2; i++) {
            var answer = ec2.call("CreateNetworkInterface", "SubnetId", subnet);
            assertEquals(400, answer.status());
            assertEquals("UnauthorizedOperation", answer.errorCode());
        }
        ec2.ok("CreateNetworkInterface", "SubnetId", subnet);
        assertEquals(new ApiCounters.Counts(3, 0, 2), endpoint.counters().of("CreateNetworkInterface"));
        endpoint.faults().failNext(FaultPlan.ANY_ACTION, "RequestLimitExceeded", 1);
        assertEquals(503, ec2.call("DescribeSubnets").status());
    }

    @Test
    void aHangingCallTimesOutTheClientAndLaterCallsAreServed() {
        endpoint.faults().hangNext("DescribeInstances", Duration.ofSeconds(30), 1);
        var failure = assertThrows(UncheckedIOException.class, () -> ec2.call("DescribeInstances", Duration.ofMillis(300)));
        assertEquals(HttpTimeoutException.class, failure.getCause().getClass());
        ec2.ok("DescribeInstances");
    }
}
