package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.cloud.EniTags;
import io.vpccni.ipamd.cloud.InterfaceType;
import io.vpccni.ipamd.policy.PoolAction;
import io.vpccni.ipamd.pool.Datastore;
import io.vpccni.ipamd.pool.PoolException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ENIs attached or detached behind the daemon's back: a detached one leaves the pool with its addresses, a new one
 * joins only once its host side is wired and the guard admitted it, and ENIs the daemon is attaching or removing
 * itself are never taken for someone else's.
 */
class NodeReconcilerEniTest {

    /** A node whose primary ENI has no secondary address, so pods land on the other ENIs. */
    private static Node bareNode() {
        return new Node(4, false);
    }

    @Test
    void anEniDetachedOutsideLeavesThePoolWithItsAddressesAndItsPodsAreReported() throws Exception {
        var node = bareNode();
        var other = node.ec2.attachNew(InterfaceType.INTERFACE, 1, 0, Map.of(), "someone's");
        node.ec2.assignPrivateIps(other, 2);
        var n = new ReconcilingNode(node);
        var lost = node.addPod();
        n.detachOutside(other);
        var report = n.reconcile();
        assertEquals(List.of(other), report.changes().enisDropped());
        assertEquals(List.of(lost), report.changes().podsLost().stream().map(a -> a.ipv4Text()).toList());
        assertEquals(List.of("detached " + other), n.hostSide);
        assertEquals(1.0, n.count("eniReconcileDel"));
        assertEquals(1.0, n.forcedEnis());
        assertEquals(1.0, n.forcedIps());
        assertTrue(n.normals.getFirst().startsWith("EniDetachedOutsideDaemon: " + other), n.normals.toString());
        assertTrue(n.warnings.getFirst().contains(lost), n.warnings.toString());
        node.assertPoolMatchesEc2();
        assertThrows(PoolException.class, node::addPod, "nothing left to hand out");
    }

    @Test
    void anEniAttachedOutsideJoinsOnlyAfterItsHostSideIsReady() throws Exception {
        var n = new ReconcilingNode(bareNode());
        var node = n.node;
        var other = node.ec2.attachNew(InterfaceType.INTERFACE, 1, 0, Map.of(), "someone's");
        var ips = node.ec2.assignPrivateIps(other, 2);
        n.onSetUp = eni -> {
            assertFalse(node.pooledEnis().contains(other), "not in the pool before its host side is ready");
            assertThrows(PoolException.class, node::addPod);
            return true;
        };
        var report = n.reconcile();
        assertEquals(List.of(other), report.changes().enisJoined());
        assertEquals(List.of("up " + other), n.hostSide);
        var info = n.setUps.getFirst();
        assertEquals(1, info.deviceNumber());
        assertEquals(2, info.routeTableId());
        assertEquals(n.mac(other), info.mac());
        assertEquals(1.0, n.count("eniReconcileAdd"));
        assertTrue(n.normals.getFirst().startsWith("EniAttachedOutsideDaemon: " + other), n.normals.toString());
        node.assertPoolMatchesEc2();
        assertTrue(ips.contains(node.addPod()));
    }

    @Test
    void anEniTheGuardRefusesJoinsExcluded() throws Exception {
        var n = new ReconcilingNode(bareNode());
        var other = n.node.ec2.attachNew(InterfaceType.INTERFACE, 1, 0, Map.of(), "someone's");
        n.node.ec2.assignPrivateIps(other, 2);
        n.onSetUp = eni -> false;
        n.reconcile();
        assertTrue(n.node.pooledEnis().contains(other));
        assertThrows(PoolException.class, n.node::addPod, "no pod goes to an ENI another manager owns");
    }

    @Test
    void anEniWhoseHostSideCannotBeSetUpStaysOutAndIsTriedAgain() throws Exception {
        var n = new ReconcilingNode(bareNode());
        var other = n.node.ec2.attachNew(InterfaceType.INTERFACE, 1, 0, Map.of(), "someone's");
        n.node.ec2.assignPrivateIps(other, 1);
        n.onSetUp = eni -> {
            throw new TimeoutException("no link with MAC " + eni.mac() + " appeared");
        };
        var report = n.reconcile();
        assertEquals(List.of(), report.changes().enisJoined());
        assertEquals(1, report.changes().skipped().size());
        assertEquals(List.of("up " + other, "down " + other), n.hostSide);
        assertFalse(n.node.pooledEnis().contains(other));
        n.onSetUp = eni -> true;
        assertEquals(List.of(other), n.reconcile().changes().enisJoined());
    }

    @Test
    void anEniPodsMustNotUseIsRecordedOutsideThePoolOnce() throws Exception {
        var n = new ReconcilingNode(bareNode());
        var trunk = n.node.ec2.attachNew(InterfaceType.TRUNK, 1, 0, Map.of(), "trunk");
        var tagged = n.node.ec2.attachNew(InterfaceType.INTERFACE, 2, 0, Map.of(EniTags.NO_MANAGE, "true"), "tagged");
        var report = n.reconcile();
        assertEquals(List.of(trunk, tagged), report.changes().enisLeftAlone());
        assertEquals(List.of(), n.hostSide);
        assertEquals(List.of(trunk, tagged), n.node.datastore.unpooledEnis().stream().map(Datastore.UnpooledEni::eniId).toList());
        assertEquals(0, n.reconcile().ec2Calls(), "known now: no EC2 call on the next pass");
    }

    @Test
    void anEniThePoolManagerSawFirstIsStillJudgedAndJoins() throws Exception {
        var n = new ReconcilingNode(bareNode());
        var other = n.node.ec2.attachNew(InterfaceType.INTERFACE, 1, 0, Map.of(), "someone's");
        n.node.ec2.assignPrivateIps(other, 1);
        n.node.lifecycle.apply(new PoolAction.AllocateEni(2, false, "test"));  // records `other` as attached outside the pool
        assertTrue(n.node.datastore.unpooledEnis().stream().anyMatch(u -> u.eniId().equals(other)));
        var report = n.reconcile();
        assertEquals(List.of(other), report.changes().enisJoined());
        n.node.assertPoolMatchesEc2();
    }

    @Test
    void anEniTheDaemonIsAttachingIsNotTakenForSomeoneElses() throws Exception {
        var n = new ReconcilingNode(bareNode());
        var mine = n.node.ec2.attachNew(InterfaceType.INTERFACE, 1, 0, Map.of(), "aws-K8S-i-0123");
        n.node.datastore.attaching(mine, 1);  // as EniLifecycle does before the attach; its set-up may take long
        n.node.clock.advance(Datastore.RECONCILE_COOLDOWN.multipliedBy(3));
        var report = n.reconcile();
        assertEquals(0, report.ec2Calls());
        assertEquals(List.of(), n.hostSide);
    }

    @Test
    void anEniTheDaemonIsRemovingIsNotTakenForSomeoneElses() throws Exception {
        var node = bareNode();
        var old = node.ec2.attachNew(InterfaceType.INTERFACE, 1, 0, Map.of(), "aws-K8S-i-0123");
        var n = new ReconcilingNode(node);
        var during = new ReconcileReport[1];
        node.ec2.during("DetachNetworkInterface", () -> {
            node.clock.advance(Datastore.RECONCILE_COOLDOWN.multipliedBy(3));  // detach retries can take minutes
            try {
                during[0] = n.reconcile();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        node.lifecycle.apply(new PoolAction.DeleteEni(old, "test"));
        assertEquals(0, during[0].ec2Calls(), "the ENI still attached is the daemon's, on its way out");
        assertEquals(List.of(), n.hostSide);
        assertFalse(node.ec2.exists(old));
        assertEquals(List.of(), node.datastore.unpooledEnis());
        assertTrue(node.datastore.ownChanges().enis().contains(old), "IMDS may list it a while yet: left alone");
    }

    @Test
    void thePlaceholderThePoolManagerRecordsIsRecognisedAsUnjudged() throws Exception {
        var node = bareNode().start();
        var other = node.ec2.attachNew(InterfaceType.INTERFACE, 1, 0, Map.of(), "someone's");
        var verdict = AttachmentSlots.judge(node.ec2.describeInstance("i-0123"), node.pooledEnis(), List.of(), 4);
        assertEquals(other, verdict.newlySeen().getFirst().eniId());
        assertTrue(verdict.newlySeen().getFirst().reason().startsWith(NodeReconciler.UNJUDGED),
                "AttachmentSlots and NodeReconciler must agree on it: " + verdict.newlySeen().getFirst().reason());
    }
}
