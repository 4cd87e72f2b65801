package io.vpccni.test;

import io.vpccni.simcloud.SimulatedAccount;
import io.vpccni.test.cluster.LoopbackApiServer;
import io.vpccni.test.node.NodeUnderTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static io.vpccni.test.cluster.LoopbackApiServer.ZONE_LABEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node reconcile of the real daemon: addresses unassigned in EC2 behind its back, one a pod holds and one free, and
 * given to another ENI at once. Within the reconcile's interval the free one leaves the pool and is never handed out,
 * and the held one is reported with a Warning event {@code PodAddressRemovedOutsideDaemon} and counted in
 * {@code awscni_force_removed_ips}; the daemon then serves new pods from addresses EC2 gives the node only.
 *
 * <p>This test waits for the daemon's first reconcile pass, one interval (60 s, not configurable) after the pool is up:
 * about 65 s. The addresses are the instance's own from its launch (not assigned by the daemon), so the first pass may
 * act on them: what the daemon changed itself in the last 60 s it leaves alone.
 */
@EnabledIfSystemProperty(named = "vpccni.netns", matches = "private", disabledReason = "needs root and test/bin/java-in-netns")
class ReconcileE2E {
    private static final String POD = "aws-node-r3c0n";

    @TempDir
    Path dir;

    private static long numeric(String ip) {
        var p = ip.split("\\.");
        return (Long.parseLong(p[0]) << 24) | (Long.parseLong(p[1]) << 16) | (Long.parseLong(p[2]) << 8) | Long.parseLong(p[3]);
    }

    @Test
    void addressesUnassignedOutsideTheDaemonLeaveThePoolAndThePodIsReported() throws Exception {
        try (var api = new LoopbackApiServer(); var node = new NodeUnderTest("recon", "m5.large", dir)) {
            var account = node.cloud.account;
            var primary = node.primaryEni();
            account.operator().assignIps(primary.id(), 9);  // launched with its secondary addresses, as a launch template can
            var name = "ip-" + primary.primaryIp().replace('.', '-') + ".us-west-2.compute.internal";
            api.createNode(name, Map.of(ZONE_LABEL, "us-west-2a"), OptionalInt.of(29));
            api.createAwsNodePod("kube-system", POD, name);
            node.start(api.daemonEnv(dir, name, POD));

            var held = node.addUntilServed("pod-1", Duration.ofSeconds(60));
            // The pool settles first (a warm ENI of 9 more), so no ENI the daemon creates takes the addresses freed below.
            node.await(Duration.ofSeconds(60), "the warm ENI", () -> NodeUnderTest.metric("awscni_total_ip_addresses")
                    .equals(Optional.of(18.0)), NodeUnderTest::metricsOrError);
            var secondaries = node.primaryEni().secondaryIps().stream().sorted(Comparator.comparingLong(ReconcileE2E::numeric)).toList();
            assertEquals(secondaries.getFirst(), held, "the lowest address of the lowest device");
            var free = secondaries.get(1);  // the next pod would get it
            // Another tool's ENI takes both at once: were either still handed out, two holders would share it.
            var other = account.createNetworkInterface(new SimulatedAccount.CreateEni(node.cloud.subnetId, List.of(),
                    "another tool's ENI", 0, 0, Map.of()));
            var started = System.nanoTime();
            account.operator().unassignIp(primary.id(), held);
            account.operator().unassignIp(primary.id(), free);
            account.operator().assignIp(other.id(), held);
            account.operator().assignIp(other.id(), free);

            node.await(Duration.ofSeconds(150), "the reconcile takes both addresses out of the pool",
                    () -> NodeUnderTest.metric("awscni_reconcile_count{fn=\"eniIPPoolReconcileDel\"}").equals(Optional.of(2.0))
                            && !api.events("PodAddressRemovedOutsideDaemon").isEmpty(),
                    () -> NodeUnderTest.metricsOrError().lines().filter(l -> l.startsWith("awscni_")).toList() + " events "
                            + api.events().stream().map(e -> e.getReason()).toList());
            System.out.printf("ReconcileE2E: the reconcile acted %d s after the addresses were unassigned%n",
                    (System.nanoTime() - started) / 1_000_000_000);
            assertEquals(Optional.of(1.0), NodeUnderTest.metric("awscni_force_removed_ips"), "one pod's address");
            var event = api.events("PodAddressRemovedOutsideDaemon").getFirst();
            assertEquals("Warning", event.getType());
            assertEquals(POD, event.getInvolvedObject().getName());
            assertTrue(event.getMessage().contains(held) && event.getMessage().contains("pod-1"), event.getMessage());
            assertEquals(1, api.events("PodAddressRemovedOutsideDaemon").size(), "only the held address is a pod's loss");

            for (var i = 2; i <= 6; i++) {
                var ip = node.addUntilServed("pod-" + i, Duration.ofSeconds(30));
                assertNotEquals(free, ip, "pod-" + i + " got the address EC2 took away");
                assertNotEquals(held, ip, "pod-" + i + " got pod-1's lost address");
                var eni = node.eniHolding(ip).orElseThrow();
                assertEquals(node.cloud.instanceId, eni.attachment().orElseThrow().instanceId(), ip + " is this node's in EC2");
            }
            assertEquals(0, node.del("pod-1").exit(), "the pod that lost its address is still torn down");
        }
    }
}
