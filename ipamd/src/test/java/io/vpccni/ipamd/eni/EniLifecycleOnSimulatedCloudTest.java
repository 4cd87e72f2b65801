package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.cloud.EniTags;
import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.policy.PoolAction;
import io.vpccni.ipamd.pool.PoolException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real {@link EniLifecycle} and {@link PoolManager} through the real SDK EC2 client and IMDS client against the
 * simulated cloud, with in-memory links and host wiring: what the daemon does to EC2 is checked in EC2's own state.
 * No root, no kernel: the kernel side of the same story is {@code PoolOnSimulatedCloudIT} in the test module.
 */
class EniLifecycleOnSimulatedCloudTest {
    private SimulatedCloudNode node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private SimulatedCloudNode start(Map<String, String> env) throws Exception {
        node = new SimulatedCloudNode("m5.large", "10.0.1.0/24");
        return node.start(env);
    }

    @Test
    void thePoolGrowsToTheWarmTargetByCreatingAndAttachingEnis() throws Exception {
        start(Map.of());
        node.settle();
        // WARM_ENI_TARGET=1 on an m5.large: one ENI's worth (9) spare, which the primary ENI alone provides.
        assertEquals(1, node.attachedInEc2().size());
        assertEquals(9, node.pool.status().availableAddresses());
        node.assertPoolMatchesCloud();

        node.addPod();
        node.settle();
        var enis = node.attachedInEc2();
        assertEquals(2, enis.size(), "8 spare is less than one ENI's worth: a second ENI is attached");
        var second = enis.get(1);
        var attachment = second.attachment().orElseThrow();
        assertEquals(1, attachment.deviceIndex());
        assertTrue(attachment.deleteOnTermination(), "the daemon's ENIs go with the instance");
        assertEquals("aws-K8S-" + node.instanceId, second.description());
        assertEquals(node.instanceId, second.tags().get(EniTags.INSTANCE_ID));
        assertEquals(node.subnetId, second.subnetId(), "created in the primary ENI's subnet");
        assertEquals(enis.getFirst().securityGroupIds(), second.securityGroupIds(), "with the primary ENI's security groups");
        assertEquals(9, second.secondaryIps().size());

        assertEquals("ens6", node.links.link(second.macAddress()).orElseThrow());
        var wired = node.wiring.wired().get(second.id());
        assertEquals(new InMemoryHostWiring.Wired("ens6", second.primaryIp(), IpPrefix.of("10.0.1.0/24"), 2), wired);
        node.assertPoolMatchesCloud();
        assertEquals(17, node.pool.status().availableAddresses());
    }

    @Test
    void addressesEc2AssignsLaterAreTheOnesInTheDatastore() throws Exception {
        start(Map.of("WARM_IP_TARGET", "2", "MINIMUM_IP_TARGET", "4"));
        node.settle();
        node.assertPoolMatchesCloud();
        for (var i = 0; i < 12; i++) {
            node.addPod();
            node.settle();
            node.assertPoolMatchesCloud();
        }
        assertEquals(2, node.attachedInEc2().size(), "12 pods and 2 spare need a second ENI");
        assertEquals(2, node.pool.status().availableAddresses());
        var free = node.account.subnet(node.subnetId).availableAddresses();
        assertEquals(251 - 2 - 14, free, "the subnet gave exactly the two primaries and the 14 secondaries");
    }

    @Test
    void prefixDelegationTakesWholeSlash28sFromEc2() throws Exception {
        start(Map.of("ENABLE_PREFIX_DELEGATION", "true", "WARM_PREFIX_TARGET", "1"));
        node.settle();
        for (var i = 0; i < 20; i++) {
            node.addPod();
            node.settle();
        }
        node.assertPoolMatchesCloud();
        var prefixes = node.attachedInEc2().stream().flatMap(e -> e.prefixes().stream()).toList();
        assertTrue(prefixes.size() >= 2, prefixes + " for 20 pods and one spare /28");
        prefixes.forEach(p -> assertTrue(p.endsWith("/28"), p));
    }

    @Test
    void aFailedAttachLeavesNoEniBehind() throws Exception {
        start(Map.of());
        node.settle();
        var freeBefore = node.account.subnet(node.subnetId).availableAddresses();
        node.endpoint.faults().failNext("AttachNetworkInterface", "InvalidParameterValue", 1);
        node.addPod();

        var action = node.manager.reconcileOnce();
        assertInstanceOf(PoolAction.AllocateEni.class, action);
        assertEquals(1, node.endpoint.counters().calls("CreateNetworkInterface"), "an ENI was created");
        assertEquals(1, node.endpoint.counters().calls("DeleteNetworkInterface"), "and deleted again");
        assertEquals(1, node.account.networkInterfaces().size(), "no ENI left in the account but the primary");
        assertEquals(freeBefore, node.account.subnet(node.subnetId).availableAddresses(), "its addresses went back to the subnet");
        assertEquals(1, node.links.links().size());
        assertEquals(Map.of(), node.wiring.wired());
        node.assertPoolMatchesCloud();

        node.settle();  // the fault was for one call: the next pass grows the pool
        assertEquals(2, node.attachedInEc2().size());
        node.assertPoolMatchesCloud();
    }

    @Test
    void anEniWhoseLinkNeverAppearsIsDetachedAndDeleted() throws Exception {
        start(Map.of());
        node.settle();
        node.links.hideNewLinks();
        node.addPod();

        assertInstanceOf(PoolAction.AllocateEni.class, node.manager.reconcileOnce());
        assertEquals(1, node.endpoint.counters().calls("AttachNetworkInterface"), "it was attached");
        assertEquals(1, node.endpoint.counters().calls("DetachNetworkInterface"), "then detached");
        assertEquals(1, node.endpoint.counters().calls("DeleteNetworkInterface"), "then deleted");
        assertEquals(1, node.account.networkInterfaces().size());
        assertEquals(Map.of(), node.wiring.wired());
        node.assertPoolMatchesCloud();
    }

    @Test
    void anEniThePoolNoLongerNeedsIsUnwiredDetachedAndDeletedInEc2() throws Exception {
        start(Map.of());
        node.settle();
        for (var i = 0; i < 12; i++) {
            node.addPod();
            node.settle();
        }
        var enis = node.attachedInEc2();
        assertEquals(3, enis.size(), "12 pods and 9 spare fill three ENIs");
        var freeWithThree = node.account.subnet(node.subnetId).availableAddresses();

        node.removeAllPods();
        node.clock.advance(Duration.ofMinutes(2));  // ENIs younger than a minute are never deleted
        node.settle();

        assertEquals(List.of(enis.getFirst().id()), node.account.networkInterfaces().stream().map(e -> e.id()).toList(),
                "both secondary ENIs are gone from the account, not merely detached");
        assertEquals(freeWithThree + 20, node.account.subnet(node.subnetId).availableAddresses(),
                "two ENIs of ten addresses each went back to the subnet");
        assertEquals(1, node.links.links().size(), "their links went with the detach");
        assertEquals(Map.of(), node.wiring.wired(), "their host side was taken down");
        node.assertPoolMatchesCloud();
    }

    @Test
    void aQuarterOfAllEc2CallsThrottledStillConvergesWithNoLeakedEni() throws Exception {
        start(Map.of("WARM_IP_TARGET", "3"));
        node.endpoint.faults().throttleFraction(0.25);
        for (var i = 0; i < 12; i++) {
            for (var attempt = 0; ; attempt++) {  // as kubelet retries an ADD that answered 11
                node.settle();
                try {
                    node.addPod();
                    break;
                } catch (PoolException e) {
                    assertTrue(attempt < 10, "pod " + i + " never got an address: " + e.getMessage());
                }
            }
        }
        node.settle();
        assertEquals(12, node.pool.status().assignedAddresses());
        assertTrue(node.pool.status().availableAddresses() >= 3, "WARM_IP_TARGET=3 is kept");
        var throttled = node.endpoint.counters().snapshot().values().stream().mapToLong(c -> c.throttled()).sum();
        assertTrue(throttled > 0, "EC2 throttled " + throttled + " calls");
        assertEquals(0, node.account.networkInterfaces().stream().filter(e -> e.attachment().isEmpty()).count(),
                "every ENI created is attached and in the pool, or deleted");
        node.assertPoolMatchesCloud();
    }
}
