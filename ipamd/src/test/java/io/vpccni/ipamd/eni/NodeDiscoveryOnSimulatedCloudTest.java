package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.cloud.ImdsClient;
import io.vpccni.ipamd.cloud.SdkEc2Api;
import io.vpccni.ipamd.pool.Datastore;
import io.vpccni.ipamd.testing.MutableClock;
import io.vpccni.simcloud.Ec2Server;
import io.vpccni.simcloud.ImdsServer;
import io.vpccni.simcloud.ManualClock;
import io.vpccni.simcloud.SimulatedAccount;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Discovery through the real SDK and IMDS clients: EC2's interface type decides which ENIs the pool may use. */
class NodeDiscoveryOnSimulatedCloudTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private final ManualClock cloudClock = new ManualClock(NOW);
    private SimulatedAccount account;
    private Ec2Server ec2Server;
    private ImdsServer imdsServer;
    private String subnet;
    private String node;

    @BeforeEach
    void start() throws Exception {
        account = new SimulatedAccount("111122223333", "10.0.0.0/16", cloudClock, 7);
        subnet = account.createSubnet("10.0.1.0/24", "us-west-2a");
        node = account.launchInstance("m5.large", subnet, List.of(account.defaultSecurityGroupId()));
        ec2Server = Ec2Server.start(cloudClock);
        ec2Server.register("AKIATEST", account);
        imdsServer = ImdsServer.start(account, node, cloudClock);
    }

    @AfterEach
    void stop() {
        imdsServer.close();
        ec2Server.close();
    }

    private String attached(String interfaceType, int device) {
        var eni = account.createNetworkInterface(new SimulatedAccount.CreateEni(subnet, List.of(account.defaultSecurityGroupId()),
                "by another controller", 2, 0, Map.of(), interfaceType)).id();
        account.attachNetworkInterface(eni, node, device, 0);
        return eni;
    }

    @Test
    void trunkAndEfaEnisAreLeftAloneButCounted() throws Exception {
        var trunk = attached("trunk", 1);
        var efa = attached("efa", 2);
        var ec2 = new SdkEc2Api(ec2Server.uri(), "us-west-2", StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIATEST", "x")));
        var imds = new ImdsClient(imdsServer.uri(), Duration.ofSeconds(2), cloudClock);
        var clock = new MutableClock(NOW);

        var discovered = NodeDiscovery.discover(imds, ec2, Map.of(), clock);
        var datastore = new Datastore(clock, Duration.ZERO, false);
        NodeDiscovery.load(datastore, discovered);

        assertEquals(1, datastore.usage().size(), "only the primary ENI carries pods");
        var outside = datastore.unpooledEnis();
        assertEquals(List.of(trunk, efa), outside.stream().map(Datastore.UnpooledEni::eniId).toList());
        assertTrue(outside.get(0).reason().contains("trunk") && outside.get(1).reason().contains("EFA"), outside.toString());
        assertEquals(0, datastore.usage().getFirst().totalIps(), "none of the trunk's or the EFA ENI's addresses is offered");
    }
}
