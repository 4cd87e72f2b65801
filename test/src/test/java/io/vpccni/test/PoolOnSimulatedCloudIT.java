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

    /** The daemon's pool for {@code node}, in-process: discovery, datastore, durable allocator, lifecycle, manager. */
    private record NodePool(Datastore datastore, PooledAllocator pool, PoolManager manager) {
    }

    private NodePool nodePool(SimulatedNode node, java.util.Map<String, String> env) throws Exception {
        return nodePool(node, env, io.vpccni.ipamd.k8s.ClusterEvents.LOG);
    }

    private NodePool nodePool(SimulatedNode node, java.util.Map<String, String> env, io.vpccni.ipamd.k8s.ClusterEvents events)
            throws Exception {
        var ec2 = new SdkEc2Api(node.ec2Endpoint(), SimulatedNode.REGION,
                StaticCredentialsProvider.create(AwsBasicCredentials.create(SimulatedNode.ACCESS_KEY, SimulatedNode.SECRET_KEY)));
        var imds = new ImdsClient(node.imdsEndpoint(), Duration.ofSeconds(2), java.time.InstantSource.system());
        var discovered = NodeDiscovery.discover(imds, ec2, Map.of(), clock);
        var config = PoolConfig.fromEnv(env);
        var datastore = new Datastore(clock, Duration.ZERO, config.prefixDelegation());
        NodeDiscovery.load(datastore, discovered);
        var pool = new PooledAllocator(datastore, new InMemoryCheckpointStore());
        pool.restore(a -> true);
        var lifecycle = new EniLifecycle(ec2, imds, datastore, discovered.identity(), new NetlinkEniLinks(host), EniHostWiring.NONE,
                clock, new Backoff(Duration.ofMillis(10), Duration.ofMillis(100), 5, Backoff.Sleeper.REAL, new Random(1)));
        var manager = new PoolManager(new WarmPoolPolicy(config, discovered.limits()), datastore, lifecycle, io.vpccni.ipamd.eni.NodeConditions.fixed(110), clock, events);
        return new NodePool(datastore, pool, manager);
    }

    private static PodIdentity pod(int i) {
        return new PodIdentity("default", "p" + i, "", "");
    }

    @Test
    void subnetExhaustionAnswersTryLaterAndRecoversWhenAddressesFreeUp() throws Exception {
        node.close();
        node = new SimulatedNode("m5.large", "10.0.3.0/27", Path.of("/run/netns/vpc"), java.time.InstantSource.system());
        // Someone else's ENI holds 8 of the subnet's 27 usable addresses.
        var filler = node.account.createNetworkInterface(new io.vpccni.simcloud.SimulatedAccount.CreateEni(node.subnetId,
                java.util.List.of(node.account.defaultSecurityGroupId()), "not ours", 7, 0, Map.of())).id();
        var p = nodePool(node, Map.of());
        settle(p.manager());  // the primary ENI takes 9 secondary addresses: 9 of the subnet's left
        for (var i = 0; i < 9; i++) {
            p.pool().assign(new AttachmentKey("aws-cni", "c" + i, "eth0"), pod(i));
            p.manager().reconcileOnce();  // a new ENI needs 10 addresses: EC2 refuses, growth pauses
        }
        var e = org.junit.jupiter.api.Assertions.assertThrows(io.vpccni.ipamd.pool.PoolException.class,
                () -> p.pool().assign(new AttachmentKey("aws-cni", "c9", "eth0"), pod(9)));
        assertEquals(io.vpccni.ipamd.pool.PoolException.Reason.EXHAUSTED, e.reason(), "the plugin turns this into CNI code 11");
        assertTrue(p.manager().reconcileOnce().reason().contains("paused"), "no EC2 call while the subnet is known to be full");

        node.account.deleteNetworkInterface(filler);  // addresses free up
        clock.advance(Duration.ofMinutes(3));
        settle(p.manager());
        assertEquals("10.0.3.", p.pool().assign(new AttachmentKey("aws-cni", "c9", "eth0"), pod(9)).allocation().ipv4Text().substring(0, 7));
        assertEquals(2, p.datastore().usage().size());
    }

    @Test
    void aMissingIamPermissionIsAnEventNamingIt() throws Exception {
        var events = new java.util.concurrent.CopyOnWriteArrayList<String>();
        var p = nodePool(node, Map.of(), (reason, message) -> events.add(reason + ": " + message));
        settle(p.manager());
        node.ec2.endpoint(SimulatedNode.ACCESS_KEY).faults().failNext("CreateNetworkInterface", "UnauthorizedOperation", 1);
        p.pool().assign(new AttachmentKey("aws-cni", "c0", "eth0"), pod(0));  // the pool now wants a second ENI
        p.manager().reconcileOnce();
        assertEquals(1, events.size(), events.toString());
        assertTrue(events.getFirst().startsWith("MissingIAMPermissions: ") && events.getFirst().contains("ec2:CreateNetworkInterface"),
                events.getFirst());
        settle(p.manager());  // once permitted, the pool grows
        assertEquals(2, p.datastore().usage().size());
    }

    @Test
    void prefixDelegationGrowsInWholeSlash28s() throws Exception {
        var p = nodePool(node, Map.of("ENABLE_PREFIX_DELEGATION", "true", "WARM_PREFIX_TARGET", "1"));
        settle(p.manager());
        for (var i = 0; i < 40; i++) {
            p.pool().assign(new AttachmentKey("aws-cni", "c" + i, "eth0"), pod(i));
            settle(p.manager());
        }
        var usage = p.datastore().usage();
        var prefixes = usage.stream().mapToInt(Datastore.EniUsage::prefixes).sum();
        assertEquals(40, p.pool().status().assignedAddresses());
        assertTrue(prefixes >= 3, prefixes + " prefixes for 40 pods and one spare /28");
        var onEc2 = node.account.networkInterfaces().stream().mapToInt(e -> e.prefixes().size()).sum();
        assertEquals(prefixes, onEc2, "every prefix EC2 delegated is in the pool");
        for (var u : usage) {
            for (var cidr : u.cidrs()) {
                assertEquals(28, cidr.length(), cidr + ": prefix delegation assigns only from /28s");
            }
        }
    }

    @Test
    void halfOfAllEc2CallsThrottledStillConvergesWithNoLeakedEni() throws Exception {
        var endpoint = node.ec2.endpoint(SimulatedNode.ACCESS_KEY);
        endpoint.faults().throttleFraction(0.5);
        var p = nodePool(node, Map.of("WARM_IP_TARGET", "3"));
        for (var i = 0; i < 12; i++) {
            var key = new AttachmentKey("aws-cni", "c" + i, "eth0");
            for (var attempt = 0; ; attempt++) {  // as kubelet retries an ADD that answered 11
                settle(p.manager());
                try {
                    p.pool().assign(key, pod(i));
                    break;
                } catch (io.vpccni.ipamd.pool.PoolException e) {
                    assertTrue(attempt < 10, "pod " + i + " never got an address: " + e.getMessage());
                }
            }
        }
        settle(p.manager());
        assertEquals(12, p.pool().status().assignedAddresses());
        assertTrue(p.pool().status().availableAddresses() >= 3, "WARM_IP_TARGET=3 is kept");
        assertTrue(p.datastore().usage().size() >= 2, "the pool grew to a second ENI through the throttling");
        var throttled = endpoint.counters().snapshot().values().stream().mapToLong(c -> c.throttled() + c.errors()).sum();
        assertTrue(throttled > 10, "EC2 throttled " + throttled + " calls");
        var leaked = node.account.networkInterfaces().stream().filter(eni -> eni.attachment().isEmpty()).count();
        assertEquals(0, leaked, "every ENI created is attached and tracked, or deleted");
        assertEquals(node.account.networkInterfaces().size(), p.datastore().usage().size());
    }

    /** Reconciles until the policy has nothing left to do; failed steps (throttled calls) are retried. */
    private static void settle(PoolManager manager) throws InterruptedException {
        for (var i = 0; i < 60; i++) {
            if (manager.reconcileOnce() instanceof PoolAction.Nothing) {
                return;
            }
        }
        throw new AssertionError("the pool did not settle in 60 steps");
    }

}
