package io.vpccni.test;

import io.vpccni.ipamd.checkpoint.InMemoryCheckpointStore;
import io.vpccni.ipamd.cloud.ImdsClient;
import io.vpccni.ipamd.cloud.SdkEc2Api;
import io.vpccni.ipamd.eni.Backoff;
import io.vpccni.ipamd.eni.EniHostWiring;
import io.vpccni.ipamd.eni.EniLifecycle;
import io.vpccni.ipamd.eni.NetlinkEniLinks;
import io.vpccni.ipamd.eni.NodeDiscovery;
import io.vpccni.ipamd.eni.PoolManager;
import io.vpccni.ipamd.net.RtNetlink;
import io.vpccni.ipamd.policy.PoolAction;
import io.vpccni.ipamd.policy.PoolConfig;
import io.vpccni.ipamd.policy.WarmPoolPolicy;
import io.vpccni.ipamd.pool.AttachmentKey;
import io.vpccni.ipamd.pool.Datastore;
import io.vpccni.ipamd.pool.PodIdentity;
import io.vpccni.ipamd.pool.PooledAllocator;
import io.vpccni.ipamd.testing.Ip;
import io.vpccni.ipamd.testing.MutableClock;
import io.vpccni.test.node.SimulatedNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pool against the simulated cloud through the real SDK and IMDS clients: discovery, growth by the
 * warm-pool policy to new ENIs that appear as links in this namespace, and shrinking again, with no ENI
 * leaked. Runs in the test's private namespace.
 */
@EnabledIfSystemProperty(named = "vpccni.netns", matches = "private", disabledReason = "needs root and test/bin/java-in-netns")
class PoolOnSimulatedCloudIT {
    private final MutableClock clock = new MutableClock(Instant.now());
    private SimulatedNode node;
    private RtNetlink host;

    @BeforeEach
    void start() throws Exception {
        Ip.run("netns", "add", "vpc");
        node = new SimulatedNode("m5.large", "10.0.1.0/24", Path.of("/run/netns/vpc"), java.time.InstantSource.system());
        host = RtNetlink.open();
    }

    @AfterEach
    void stop() {
        host.close();
        node.close();
        Ip.quietly("netns", "del", "vpc");
    }

    @Test
    void aFreshNodeGrowsToMoreEnisAsPodsArriveAndShrinksAfterTheyLeave() throws Exception {
        var ec2 = new SdkEc2Api(node.ec2Endpoint(), SimulatedNode.REGION,
                StaticCredentialsProvider.create(AwsBasicCredentials.create(SimulatedNode.ACCESS_KEY, SimulatedNode.SECRET_KEY)));
        var imds = new ImdsClient(node.imdsEndpoint(), Duration.ofSeconds(2), java.time.InstantSource.system());
        var discovered = NodeDiscovery.discover(imds, ec2, Map.of(), clock);
        assertEquals(1, discovered.enis().size());
        assertEquals(3, discovered.limits().maxEnis());

        var datastore = new Datastore(clock, Duration.ZERO, false);
        NodeDiscovery.load(datastore, discovered);
        var pool = new PooledAllocator(datastore, new InMemoryCheckpointStore());
        pool.restore(a -> true);
        var lifecycle = new EniLifecycle(ec2, imds, datastore, discovered.identity(), new NetlinkEniLinks(host), EniHostWiring.NONE,
                clock, new Backoff(Duration.ofMillis(10), Duration.ofMillis(100), 5, Backoff.Sleeper.REAL, new Random(1)));
        var policy = new WarmPoolPolicy(PoolConfig.fromEnv(Map.of()), discovered.limits());
        var manager = new PoolManager(policy, datastore, lifecycle, 29, clock);

        settle(manager);
        // WARM_ENI_TARGET=1: one ENI's worth (9) of addresses spare; the primary ENI alone provides it.
        assertEquals(1, datastore.usage().size());
        assertEquals(9, pool.status().availableAddresses());

        var pods = new ArrayList<AttachmentKey>();
        for (var i = 0; i < 15; i++) {
            var key = new AttachmentKey("aws-cni", "c" + i, "eth0");
            pool.assign(key, new PodIdentity("default", "p" + i, "", ""));
            pods.add(key);
            settle(manager);  // pods arrive one by one; the pool keeps ahead of them
        }
        assertEquals(3, datastore.usage().size(), "15 pods on 27 addresses: 12 spare, at least one ENI's worth");
        var second = datastore.usage().get(1).info();
        assertEquals("ens6", host.linkByMac(second.mac()).orElseThrow().name());
        assertTrue(host.link("ens7").isPresent());
        var inCloud = node.account.networkInterface(second.eniId());
        assertEquals("aws-K8S-" + node.instanceId, inCloud.description());
        assertEquals(node.instanceId, inCloud.tags().get("node.k8s.amazonaws.com/instance_id"));
        assertEquals(second.deviceNumber() + 1, second.routeTableId());

        for (var key : pods) {
            pool.release(key);
        }
        clock.advance(Duration.ofMinutes(2));  // ENIs younger than a minute are never deleted
        settle(manager);
        // 27 spare is two ENIs' worth beyond the target: both secondary ENIs go, the primary stays.
        assertEquals(1, datastore.usage().size());
        assertTrue(host.link("ens6").isEmpty() && host.link("ens7").isEmpty());
        assertEquals(1, node.account.networkInterfaces().size(), "no ENI leaked: every ENI created was deleted again");
    }

    /** Reconciles until the policy has nothing left to do. */
    private static void settle(PoolManager manager) throws InterruptedException {
        for (var i = 0; i < 20; i++) {
            if (manager.reconcileOnce() instanceof PoolAction.Nothing) {
                return;
            }
        }
        throw new AssertionError("the pool did not settle in 20 steps");
    }

}
