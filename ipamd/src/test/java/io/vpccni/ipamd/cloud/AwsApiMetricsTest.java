package io.vpccni.ipamd.cloud;

import io.vpccni.ipamd.observe.MetricsServer;
import io.vpccni.simcloud.Ec2Server;
import io.vpccni.simcloud.ImdsServer;
import io.vpccni.simcloud.ManualClock;
import io.vpccni.simcloud.SimulatedAccount;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.retries.api.BackoffStrategy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Upstream's AWS call metrics from the real SDK and IMDS clients against the simulated cloud. */
class AwsApiMetricsTest {
    private static final String KEY = "AKIAMETRICSTEST00000";
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-07T12:00:00Z"));
    private final SimulatedAccount account = new SimulatedAccount("111122223333", "10.0.0.0/16", clock, 7);
    private final String instanceId = account.launchInstance("m5.large", account.createSubnet("10.0.1.0/24", "us-west-2a"),
            List.of(account.defaultSecurityGroupId()));
    private final List<AutoCloseable> open = new java.util.ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (var c : open.reversed()) {
            c.close();
        }
    }

    @Test
    void eachEc2CallIsCountedAndTimedAndAFailureCarriesEc2sCode() throws Exception {
        var server = Ec2Server.start(clock);
        open.add(server);
        server.register(KEY, account).faults().failNext("DescribeInstances", "UnauthorizedOperation", 1);
        var registry = MetricsServer.newRegistry();
        var ec2 = new SdkEc2Api(new SdkEc2Api.Settings(Optional.of(server.uri()), Optional.of("us-west-2"),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, "x")), SdkEc2Api.MIN_HTTP_TIMEOUT, 1,
                Optional.of(BackoffStrategy.retryImmediately()), Optional.empty()), List.of(new AwsApiMetrics(registry)));
        open.add(ec2);

        assertThrows(CloudException.class, () -> ec2.describeInstance(instanceId));
        ec2.describeInstance(instanceId);

        assertEquals(2.0, registry.get("awscni_ec2api_req_count").tag("fn", "DescribeInstances").counter().count());
        assertEquals(1.0, registry.get("awscni_ec2api_error_count").tag("fn", "DescribeInstances").counter().count());
        assertEquals(1.0, registry.get("awscni_aws_api_error_count").tags("api", "DescribeInstances", "error", "UnauthorizedOperation")
                .counter().count());
        assertEquals(1, registry.get("awscni_aws_api_latency_ms").tags("api", "DescribeInstances", "error", "false", "status", "200")
                .summary().count());
        assertEquals(1, registry.get("awscni_aws_api_latency_ms").tags("api", "DescribeInstances", "error", "true",
                "status", "UnauthorizedOperation").summary().count());
    }

    @Test
    void imdsReadsAreGetMetadataAndAnUnreachableImdsIsAnError() throws Exception {
        var imdsServer = ImdsServer.start(account, instanceId, clock);
        open.add(imdsServer);
        var registry = MetricsServer.newRegistry();
        var metrics = new AwsApiMetrics(registry);
        var imds = new ImdsClient(imdsServer.uri(), Duration.ofSeconds(2), clock).observedBy(metrics);
        open.add(imds);
        assertEquals(instanceId, imds.instanceId());  // a token PUT and a GET
        assertEquals(2, registry.get("awscni_aws_api_latency_ms").tags("api", "GetMetadata", "error", "false", "status", "200")
                .summary().count());

        int closedPort;
        try (var probe = new java.net.ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        var nowhere = new ImdsClient(java.net.URI.create("http://127.0.0.1:" + closedPort), Duration.ofSeconds(2), clock)
                .observedBy(metrics);
        open.add(nowhere);
        assertThrows(MetadataException.class, nowhere::instanceId);
        assertEquals(1.0, registry.get("awscni_aws_api_error_count").tags("api", "GetMetadata", "error", "ConnectException")
                .counter().count());
    }
}
