package io.vpccni.ipamd.eni;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vpccni.ipamd.k8s.ClusterEvents;
import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.pool.EniInfo;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

/**
 * A {@link Node} with the node reconcile over it: IMDS that can be made to lag, a new-ENI handler and cluster events
 * that record what they are told, and the reconcile's counters.
 */
final class ReconcilingNode {
    final Node node;
    final StaleImds imds;
    final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    final List<String> warnings = new CopyOnWriteArrayList<>();
    final List<String> normals = new CopyOnWriteArrayList<>();
    /** What the new-ENI handler was asked: "up eni", "down eni", "detached eni". */
    final List<String> hostSide = new CopyOnWriteArrayList<>();
    final List<EniInfo> setUps = new CopyOnWriteArrayList<>();
    /** What the handler's set-up does besides recording; may throw. */
    volatile SetUp onSetUp = eni -> true;
    NodeReconciler reconciler;
    int changesSeen;

    interface SetUp {
        boolean admit(EniInfo eni) throws TimeoutException;
    }

    /** @param node set up in EC2 as the test needs, not yet started */
    ReconcilingNode(Node node) throws Exception {
        this.node = node.start();
        this.imds = new StaleImds(node.imds);
        var events = new ClusterEvents() {
            @Override
            public void warning(String reason, String message) {
                warnings.add(reason + ": " + message);
            }

            @Override
            public void normal(String reason, String message) {
                normals.add(reason + ": " + message);
            }
        };
        var handler = new NewEniHandler() {
            @Override
            public boolean setUp(EniInfo eni, String primaryIp, IpPrefix subnet) throws TimeoutException {
                hostSide.add("up " + eni.eniId());
                setUps.add(eni);
                return onSetUp.admit(eni);
            }

            @Override
            public void tearDown(EniInfo eni) {
                hostSide.add("down " + eni.eniId());
            }

            @Override
            public void detached(EniInfo eni) {
                hostSide.add("detached " + eni.eniId());
            }
        };
        reconciler = new NodeReconciler(node.datastore, imds, node.ec2, "i-0123", handler, events, metrics, node.clock);
        reconciler.onChange(() -> changesSeen++);
    }

    ReconcileReport reconcile() throws InterruptedException {
        return reconciler.reconcileOnce();
    }

    double count(String fn) {
        return metrics.get("awscni_reconcile_count").tag("fn", fn).counter().count();
    }

    double forcedIps() {
        return metrics.get("awscni_force_removed_ips").counter().count();
    }

    double forcedEnis() {
        return metrics.get("awscni_force_removed_enis").counter().count();
    }

    String mac(String eniId) throws Exception {
        return node.ec2.describeNetworkInterfaces(List.of(eniId)).getFirst().mac();
    }

    /** Someone detaches the ENI behind the daemon's back. */
    void detachOutside(String eniId) throws Exception {
        node.ec2.detach(node.ec2.describeNetworkInterfaces(List.of(eniId)).getFirst().attachmentId().orElseThrow(), false);
    }
}
