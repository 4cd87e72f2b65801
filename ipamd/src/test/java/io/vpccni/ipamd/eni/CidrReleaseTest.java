package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.cloud.FakeEc2.Fault;
import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.policy.PoolAction.ReleaseCidrs;
import io.vpccni.ipamd.policy.PoolAction.ReleaseCidrs.Release;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Giving addresses back to EC2 while pods come and go: every CIDR ends up either released in EC2 and out of the
 * pool, or kept in EC2 and in the pool; never lost, never both handed out and released.
 */
class CidrReleaseTest {
    private Node node;

    @BeforeEach
    void start() throws Exception {
        node = new Node(3, false);
        node.ec2.assignPrivateIps(node.ec2.primaryEniId(), 5);  // 10.0.1.11 .. 10.0.1.15
        node.start();
    }

    private ReleaseCidrs release(int count) {
        return new ReleaseCidrs(List.of(new Release(node.primary(), count)), false, "test");
    }

    @Test
    void releasedAddressesLeaveThePoolAndEc2() throws Exception {
        node.lifecycle.apply(release(3));
        assertEquals(2, node.ec2.secondaryIps(node.primary()).size());
        node.assertPoolMatchesEc2();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Fault.class)
    void aFailedReleaseLeavesThePoolAndEc2Agreeing(Fault fault) {
        node.ec2.failNext("UnassignPrivateIpAddresses", fault);
        assertThrows(RuntimeException.class, () -> node.lifecycle.apply(release(3)));
        node.assertPoolMatchesEc2();
    }

    @Test
    void aReleaseEc2RefusedPutsEveryAddressBack() {
        node.ec2.failNext("UnassignPrivateIpAddresses", Fault.THROTTLED);
        assertThrows(EniException.class, () -> node.lifecycle.apply(release(3)));
        assertEquals(5, node.pooledCidrs(node.primary()).size());
        assertEquals(5, node.ec2.secondaryIps(node.primary()).size());
    }

    @Test
    void whenNeitherTheReleaseNorTheCheckIsAnsweredTheAddressesStayOutOfThePool() {
        // EC2 may have released them: handing one to a pod would give it an address another node may get.
        node.ec2.failNext("UnassignPrivateIpAddresses", Fault.ANSWER_LOST);
        node.ec2.failAlways("DescribeNetworkInterfaces", Fault.THROTTLED);
        assertThrows(EniException.class, () -> node.lifecycle.apply(release(3)));
        assertEquals(2, node.pooledCidrs(node.primary()).size());
    }

    @Test
    void whenEc2RefusedAndCannotBeAskedAfterwardsTheAddressesReturnToThePool() {
        node.ec2.failNext("UnassignPrivateIpAddresses", Fault.THROTTLED);
        node.ec2.failAlways("DescribeNetworkInterfaces", Fault.THROTTLED);
        assertThrows(EniException.class, () -> node.lifecycle.apply(release(3)));
        node.ec2.heal("DescribeNetworkInterfaces");
        node.assertPoolMatchesEc2();
    }

    @Test
    void aPodAddedWhileEc2ReleasesNeverGetsAnAddressBeingReleased() throws Exception {
        var during = new String[1];
        node.ec2.during("UnassignPrivateIpAddresses", () -> during[0] = node.addPod());
        node.lifecycle.apply(release(3));
        assertTrue(node.ec2.secondaryIps(node.primary()).contains(during[0]), during[0] + " is still the ENI's in EC2");
        node.assertPoolMatchesEc2();
    }

    @Test
    void aSecondaryIpReleaseNeverSendsAPrefix() throws Exception {
        node.ec2.assignPrefixes(node.primary(), 1);
        node.datastore.addCidr(node.primary(), IpPrefix.of(node.ec2.prefixes(node.primary()).getFirst()), true);
        node.lifecycle.apply(release(6));
        assertEquals(List.of(), node.ec2.secondaryIps(node.primary()));
        assertEquals(1, node.ec2.prefixes(node.primary()).size(), "the /28 is not a secondary address");
        node.assertPoolMatchesEc2();
    }

    /**
     * Pods arriving while the pool shrinks, on two threads: whatever the interleaving, no address is lost and
     * none is released while a pod holds it. (Before the release took its CIDRs in one step, a pod taking one
     * between the look and the take left the CIDRs already taken neither in the pool nor released.)
     */
    @Test
    void podsArrivingDuringReleasesNeitherLoseNorDoubleUseAnAddress() throws Exception {
        for (var round = 0; round < 300; round++) {
            node = new Node(3, false);
            node.ec2.assignPrivateIps(node.ec2.primaryEniId(), 40);
            node.start();
            var go = new CountDownLatch(1);
            var pods = new java.util.concurrent.CopyOnWriteArrayList<String>();
            var adder = Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                    for (var i = 0; i < 20; i++) {
                        pods.add(node.addPod());
                    }
                } catch (InterruptedException | RuntimeException e) {
                    // the pool may run dry: that is an answer, not a failure
                }
            });
            go.countDown();
            try {
                node.lifecycle.apply(release(40));
            } catch (EniException e) {
                // a pod took an address the policy counted on: the release may stop, but must leave nothing behind
            }
            adder.join();
            node.assertPoolMatchesEc2();
            for (var ip : pods) {
                assertTrue(node.ec2.secondaryIps(node.primary()).contains(ip), "round " + round + ": pod address " + ip + " was released");
            }
        }
    }
}
