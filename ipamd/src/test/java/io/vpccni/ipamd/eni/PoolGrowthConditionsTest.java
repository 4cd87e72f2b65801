package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.cloud.CloudErrors;
import io.vpccni.ipamd.cloud.CreateEniRequest;
import io.vpccni.ipamd.cloud.Ec2Api;
import io.vpccni.ipamd.k8s.InMemoryCluster;
import io.vpccni.ipamd.policy.PoolAction;
import io.vpccni.ipamd.policy.PoolConfig;
import io.vpccni.ipamd.policy.WarmPoolPolicy;
import io.vpccni.ipamd.testing.CapturedLogs;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the cluster tells the pool: max pods, a cordon, and where new ENIs go (or why none can be made). */
class PoolGrowthConditionsTest {
    private final InMemoryCluster cluster = new InMemoryCluster();

    /** A node whose primary ENI's 9 addresses are all taken by pods: the policy wants a new ENI. */
    private static Node fullNode() throws Exception {
        var node = new Node(3, false);
        node.ec2.assignPrivateIps(node.ec2.primaryEniId(), 9);
        node.start();
        for (var i = 0; i < 9; i++) {
            node.addPod();
        }
        return node;
    }

    private PoolManager manager(Node node, boolean manageWhenUnschedulable) {
        return new PoolManager(new WarmPoolPolicy(PoolConfig.fromEnv(Map.of()), node.discovered.limits()), node.datastore,
                node.lifecycle, NodeConditions.of(cluster, 29, manageWhenUnschedulable), node.clock, cluster);
    }

    private void node(OptionalInt capacity, boolean cordoned) {
        cluster.node("ip-10-0-0-1", capacity, cordoned, Map.of(), Map.of());
    }

    @Test
    void aCordonedNodeHoldsItsPoolUntilUncordonedAndSaysSoOnce() throws Exception {
        var node = fullNode();
        node(OptionalInt.empty(), true);
        var manager = manager(node, false);
        try (var logs = new CapturedLogs(PoolManager.class)) {
            for (var pass = 0; pass < 3; pass++) {
                assertInstanceOf(PoolAction.Nothing.class, manager.reconcileOnce());
            }
            assertEquals(0, node.ec2.callsOf("CreateNetworkInterface"));
            assertEquals(1, logs.count("the node is cordoned"), logs.messages().toString());
            var refused = org.junit.jupiter.api.Assertions.assertThrows(io.vpccni.ipamd.pool.PoolException.class, node::addPod);
            assertTrue(refused.getMessage().endsWith("the pool cannot grow: the node is cordoned (node.kubernetes.io/unschedulable)"),
                    "an ADD is told why: " + refused.getMessage());
            node(OptionalInt.empty(), false);
            assertInstanceOf(PoolAction.AllocateEni.class, manager.reconcileOnce());
            assertEquals(1, logs.count("no longer cordoned"), logs.messages().toString());
        }
        assertEquals(1, node.ec2.callsOf("CreateNetworkInterface"));
    }

    @Test
    void aCordonedNodeGrowsWhenTheOperatorAsksForIt() throws Exception {
        var node = fullNode();
        node(OptionalInt.empty(), true);
        assertInstanceOf(PoolAction.AllocateEni.class, manager(node, true).reconcileOnce());
    }

    @Test
    void theNodesPodCapacityCapsThePoolAndTheInstanceTableStandsInUntilTheNodeSaysIt() throws Exception {
        var node = fullNode();
        node(OptionalInt.of(9), false);
        var manager = manager(node, false);
        var held = assertInstanceOf(PoolAction.Nothing.class, manager.reconcileOnce());
        assertTrue(held.reason().contains("max pods 9"), held.reason());
        node(OptionalInt.empty(), false);
        assertInstanceOf(PoolAction.AllocateEni.class, manager.reconcileOnce(), "the fallback (29) leaves room");
    }

    @Test
    void aPlacementAnOperatorMustFixCreatesNoEniAndRaisesOneEvent() throws Exception {
        var node = fullNode();
        node.lifecycle.placement(() -> {
            throw new PlacementException("EniConfigNotFound", "custom networking: ENIConfig 'us-west-2a' does not exist");
        });
        var manager = manager(node, false);
        for (var pass = 0; pass < 4; pass++) {
            manager.reconcileOnce();
        }
        assertEquals(0, node.ec2.callsOf("CreateNetworkInterface") + node.ec2.callsOf("DescribeInstances"),
                "nothing asked of EC2 before the placement is known");
        assertEquals(List.of("Warning EniConfigNotFound: custom networking: ENIConfig 'us-west-2a' does not exist; no new ENI "
                + "is created until it is fixed"), cluster.events);
        var refused = org.junit.jupiter.api.Assertions.assertThrows(io.vpccni.ipamd.pool.PoolException.class, node::addPod);
        assertTrue(refused.getMessage().endsWith("the pool cannot grow: custom networking: ENIConfig 'us-west-2a' does not exist"),
                "an ADD is told why: " + refused.getMessage());
    }

    @Test
    void aNewEniGoesWhereThePlacementSaysAndPastAFullSubnet() throws Exception {
        var node = fullNode();
        var requests = new java.util.concurrent.CopyOnWriteArrayList<CreateEniRequest>();
        var ec2 = (Ec2Api) Proxy.newProxyInstance(Ec2Api.class.getClassLoader(), new Class<?>[] {Ec2Api.class}, (p, m, args) -> {
            if (m.getName().equals("createNetworkInterface")) {
                var request = (CreateEniRequest) args[0];
                requests.add(request);
                if (request.subnetId().equals("subnet-full")) {
                    throw CloudErrors.of("CreateNetworkInterface", "subnet subnet-full", "InsufficientFreeAddressesInSubnet",
                            "no free addresses");
                }
            }
            try {
                return m.invoke(node.ec2, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
        var lifecycle = new EniLifecycle(ec2, node.imds, node.datastore, node.discovered.identity(), (mac, t) -> "eth-x",
                new EniHostWiring() {
                    @Override
                    public void setUp(io.vpccni.ipamd.pool.EniInfo eni, String link, String ip, io.vpccni.ipamd.net.IpPrefix subnet) {
                    }

                    @Override
                    public void tearDown(io.vpccni.ipamd.pool.EniInfo eni) {
                    }
                }, node.clock, new Backoff(Duration.ofMillis(1), Duration.ofMillis(1), 1, d -> { }, new Random(1)));
        lifecycle.placement(() -> List.of(new Placement("subnet-full", List.of("sg-a"), "test"),
                new Placement("subnet-roomy", List.of("sg-b"), "test")));
        lifecycle.apply(new PoolAction.AllocateEni(9, false, "test"));
        assertEquals(List.of("subnet-full", "subnet-roomy"), requests.stream().map(CreateEniRequest::subnetId).toList());
        assertEquals(List.of("sg-b"), requests.getLast().securityGroupIds());
        assertEquals(2, node.datastore.usage().size(), "the ENI from the second subnet joined the pool");
    }

    @Test
    void aFixedEniConfigIsUsedAsSoonAsItsChangeWakesTheLoopNotAfterTheBackoff() throws Exception {
        var node = fullNode();
        var fixed = new java.util.concurrent.atomic.AtomicBoolean();
        node.lifecycle.placement(() -> {
            if (!fixed.get()) {
                throw new PlacementException("EniConfigNotFound", "custom networking: ENIConfig 'us-west-2a' does not exist");
            }
            return List.of(new Placement(io.vpccni.ipamd.cloud.FakeEc2.SUBNET, List.of("sg-1"), "ENIConfig us-west-2a"));
        });
        var scheduler = new io.vpccni.ipamd.schedule.FakeScheduler(node.clock);
        var manager = manager(node, false);
        manager.start(scheduler, Duration.ofMillis(2500));
        scheduler.runDue();
        for (var i = 0; i < 6; i++) {  // the backoff grows towards its minute
            scheduler.advance(scheduler.dueIn("pool-manager").orElseThrow());
        }
        var backoff = scheduler.dueIn("pool-manager").orElseThrow();
        assertTrue(backoff.compareTo(Duration.ofSeconds(10)) > 0, "backing off: " + backoff);
        fixed.set(true);
        manager.wake();  // as the ENIConfig watch does when the operator creates it
        scheduler.runDue();
        assertEquals(2, node.pooledEnis().size(), "the ENI was created at once, not " + backoff + " later");
        assertEquals(1, cluster.count("EniConfigNotFound"), "one event for the whole outage");
    }
}
