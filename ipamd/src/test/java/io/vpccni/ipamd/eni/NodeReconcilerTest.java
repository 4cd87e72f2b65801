package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.cloud.FakeEc2.Fault;
import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.policy.PoolAction.ReleaseCidrs;
import io.vpccni.ipamd.policy.PoolAction.ReleaseCidrs.Release;
import io.vpccni.ipamd.pool.AttachmentKey;
import io.vpccni.ipamd.pool.Datastore;
import io.vpccni.ipamd.pool.PoolException;
import io.vpccni.ipamd.schedule.FakeScheduler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Addresses and prefixes assigned or unassigned behind the daemon's back: the pool follows EC2, asks EC2 only when
 * IMDS differs, believes EC2 over IMDS, and leaves alone what the daemon changed itself within the cooldown.
 */
class NodeReconcilerTest {
    private static final Duration AFTER_COOLDOWN = Datastore.RECONCILE_COOLDOWN.plusSeconds(1);

    /** A secondary-IP node whose primary ENI has {@code secondaries} addresses. */
    private static ReconcilingNode node(int secondaries) throws Exception {
        var node = new Node(3, false);
        if (secondaries > 0) {
            node.ec2.assignPrivateIps(node.ec2.primaryEniId(), secondaries);
        }
        return new ReconcilingNode(node);
    }

    /** Every address the pool still hands out, by assigning to new pods until it is exhausted. */
    private static List<String> drain(Node node) {
        var out = new ArrayList<String>();
        while (true) {
            try {
                out.add(node.addPod());
            } catch (PoolException e) {
                return out;
            }
        }
    }

    @Test
    void whenImdsMatchesThePoolEc2IsNotAsked() throws Exception {
        var n = node(3);
        var calls = n.node.ec2.calls().size();
        var report = n.reconcile();
        assertEquals(0, report.ec2Calls());
        assertEquals(calls, n.node.ec2.calls().size());
        assertFalse(report.changed());
        assertEquals(0, n.changesSeen);
    }

    @Test
    void aFreeAddressUnassignedOutsideLeavesThePool() throws Exception {
        var n = node(3);
        var primary = n.node.primary();
        var gone = n.node.ec2.secondaryIps(primary).get(1);
        n.node.ec2.unassignPrivateIps(primary, List.of(gone));
        var report = n.reconcile();
        assertEquals(1, report.ec2Calls());
        assertEquals(List.of(IpPrefix.of(gone + "/32")), report.changes().dropped().stream().map(c -> c.cidr()).toList());
        assertEquals(List.of(), report.changes().podsLost());
        n.node.assertPoolMatchesEc2();
        assertEquals(1.0, n.count("eniIPPoolReconcileDel"));
        assertEquals(0.0, n.forcedIps());
        assertEquals(1, n.changesSeen, "the pool manager is told");
        assertTrue(n.normals.getFirst().startsWith("EniAddressesUnassignedOutsideDaemon: " + primary + ": " + gone + "/32"),
                n.normals.toString());
    }

    @Test
    void anAssignedAddressUnassignedOutsideLeavesThePoolItsPodIsReportedAndNoOtherPodGetsIt() throws Exception {
        var n = node(3);
        var lost = n.node.addPod();
        n.node.ec2.unassignPrivateIps(n.node.primary(), List.of(lost));
        var report = n.reconcile();
        assertEquals(List.of(lost), report.changes().podsLost().stream().map(a -> a.ipv4Text()).toList());
        assertEquals(1.0, n.forcedIps());
        assertEquals(1, n.warnings.size());
        assertTrue(n.warnings.getFirst().startsWith(PoolCorrection.POD_ADDRESS_REMOVED + ": pod default/p0 "), n.warnings.getFirst());
        assertTrue(n.warnings.getFirst().contains(lost), n.warnings.getFirst());
        n.node.assertPoolMatchesEc2();
        var key = new AttachmentKey("aws-cni", "c0", "eth0");
        assertTrue(n.node.datastore.find(key).isPresent(), "its DEL still finds what to tear down");
        assertFalse(drain(n.node).contains(lost));
        n.node.datastore.unassign(key).orElseThrow();
        assertEquals(List.of(), drain(n.node), "not after its pod let go of it either");
    }

    @Test
    void anAddressAssignedOutsideJoinsThePoolAndIsHandedOut() throws Exception {
        var n = node(0);
        var added = n.node.ec2.assignPrivateIps(n.node.primary(), 1).getFirst();
        var report = n.reconcile();
        assertEquals(1, report.changes().added().size());
        assertEquals(1.0, n.count("eniIPPoolReconcileAdd"));
        assertEquals(added, n.node.addPod());
        n.node.assertPoolMatchesEc2();
    }

    @Test
    void prefixesAssignedAndUnassignedOutsideInPrefixMode() throws Exception {
        var node = new Node(3, true);
        var first = node.ec2.assignPrefixes(node.ec2.primaryEniId(), 1).getFirst();
        var n = new ReconcilingNode(node);
        var lost = node.addPod();
        assertTrue(lost.startsWith(first.substring(0, first.lastIndexOf('.'))), lost + " is in " + first);
        var second = node.ec2.assignPrefixes(node.primary(), 1).getFirst();
        node.ec2.unassignPrefixes(node.primary(), List.of(first));
        var report = n.reconcile();
        assertEquals(List.of(IpPrefix.of(second)), report.changes().added().stream().map(c -> c.cidr()).toList());
        assertEquals(List.of(IpPrefix.of(first)), report.changes().dropped().stream().map(c -> c.cidr()).toList());
        assertEquals(List.of(lost), report.changes().podsLost().stream().map(a -> a.ipv4Text()).toList());
        node.assertPoolMatchesEc2();
        var handedOut = drain(node);
        assertEquals(16, handedOut.size(), "all of the new prefix and nothing of the old one");
        assertFalse(handedOut.contains(lost));
    }

    @Test
    void imdsListingAnAddressEc2NoLongerHasAddsNothing() throws Exception {
        var n = node(2);
        n.imds.freeze().addIp(n.mac(n.node.primary()), "10.0.1.99");
        var report = n.reconcile();
        assertEquals(1, report.ec2Calls(), "IMDS differs, so EC2 is asked");
        assertFalse(report.changed(), "and EC2 decides");
        n.node.assertPoolMatchesEc2();
    }

    @Test
    void imdsMissingAnAddressEc2StillHasTakesNothingAway() throws Exception {
        var n = node(2);
        var kept = n.node.ec2.secondaryIps(n.node.primary()).getFirst();
        n.imds.freeze().forget(n.mac(n.node.primary()), kept);
        var report = n.reconcile();
        assertEquals(1, report.ec2Calls());
        assertFalse(report.changed());
        assertTrue(n.node.pooledCidrs(n.node.primary()).contains(kept));
    }

    @Test
    void onceEc2IsAskedItDecidesEverythingImdsStillShows() throws Exception {
        var n = node(2);
        var primary = n.node.primary();
        var gone = n.node.ec2.secondaryIps(primary).getFirst();
        n.imds.freeze();
        n.node.ec2.unassignPrivateIps(primary, List.of(gone));
        assertEquals(0, n.reconcile().ec2Calls(), "IMDS still lists it as the pool does: nothing to ask about yet");
        n.imds.addIp(n.mac(primary), "10.0.1.99");
        var report = n.reconcile();
        assertEquals(List.of(IpPrefix.of(gone + "/32")), report.changes().dropped().stream().map(c -> c.cidr()).toList());
        assertEquals(List.of(), report.changes().added());
        n.node.assertPoolMatchesEc2();
    }

    @Test
    void anAddressTheDaemonReleasedIsNotReAddedWhileImdsStillListsIt() throws Exception {
        var n = node(3);
        var primary = n.node.primary();
        n.imds.freeze();
        n.node.lifecycle.apply(new ReleaseCidrs(List.of(new Release(primary, 1)), false, "test"));
        assertEquals(2, n.node.ec2.secondaryIps(primary).size());
        var report = n.reconcile();
        assertEquals(0, report.ec2Calls(), "within the cooldown the difference is the daemon's own");
        assertFalse(report.changed());
        n.node.clock.advance(AFTER_COOLDOWN);
        report = n.reconcile();
        assertEquals(1, report.ec2Calls());
        assertFalse(report.changed(), "EC2 no longer lists it");
        n.node.assertPoolMatchesEc2();
    }

    @Test
    void anAddressTheDaemonJustGotIsNotDroppedWhileEc2AndImdsLag() throws Exception {
        var n = node(1);
        var fresh = IpPrefix.of("10.0.1.77/32");
        n.node.datastore.noteOwnChange(List.of(fresh));  // as EniLifecycle does before the pool takes what EC2 assigned
        n.node.datastore.addCidr(n.node.primary(), fresh, false);
        var report = n.reconcile();
        assertEquals(0, report.ec2Calls());
        assertTrue(n.node.pooledCidrs(n.node.primary()).contains("10.0.1.77"));
        n.node.clock.advance(AFTER_COOLDOWN);
        report = n.reconcile();
        assertEquals(List.of(fresh), report.changes().dropped().stream().map(c -> c.cidr()).toList(),
                "a minute on, EC2 not listing it means it is not there");
    }

    @Test
    void whenEc2CannotBeAskedNothingChangesAndTheNextPassCatchesUp() throws Exception {
        var n = node(2);
        var gone = n.node.ec2.secondaryIps(n.node.primary()).getFirst();
        n.node.ec2.unassignPrivateIps(n.node.primary(), List.of(gone));
        n.node.ec2.failNext("DescribeNetworkInterfaces", Fault.THROTTLED);
        var failed = n.reconcile();
        assertTrue(failed.failure().isPresent());
        assertFalse(failed.changed());
        assertTrue(n.node.pooledCidrs(n.node.primary()).contains(gone));
        assertTrue(n.reconcile().changed());
        n.node.assertPoolMatchesEc2();
    }

    @Test
    void runsEveryIntervalOnTheScheduler() throws Exception {
        var n = node(2);
        var scheduler = new FakeScheduler(n.node.clock);
        n.reconciler.start(scheduler, NodeReconciler.DEFAULT_INTERVAL);
        scheduler.advance(NodeReconciler.DEFAULT_INTERVAL.minusSeconds(1));
        assertEquals(0, scheduler.runs("node-reconcile"));
        var gone = n.node.ec2.secondaryIps(n.node.primary()).getFirst();
        n.node.ec2.unassignPrivateIps(n.node.primary(), List.of(gone));
        scheduler.advance(Duration.ofSeconds(1));
        assertEquals(1, scheduler.runs("node-reconcile"));
        n.node.assertPoolMatchesEc2();
        assertEquals(Optional.of(NodeReconciler.DEFAULT_INTERVAL), scheduler.dueIn("node-reconcile"));
        n.reconciler.close();
        assertTrue(scheduler.cancelled("node-reconcile"));
    }
}
