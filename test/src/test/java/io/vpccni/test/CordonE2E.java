package io.vpccni.test;

import io.vpccni.test.cluster.LoopbackApiServer;
import io.vpccni.test.node.NodeUnderTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static io.vpccni.test.cluster.LoopbackApiServer.ZONE_LABEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cordoned node (taint node.kubernetes.io/unschedulable) with the real daemon and plugin: its pool neither grows nor
 * shrinks, so once the primary ENI's addresses are used ADD answers "try again later" (code 11) and no ENI is created;
 * uncordoned, the pool grows at once and the pending pod is served.
 */
@EnabledIfSystemProperty(named = "vpccni.netns", matches = "private", disabledReason = "needs root and test/bin/java-in-netns")
class CordonE2E {
    private static final String POD = "aws-node-c0rd0";

    @TempDir
    Path dir;

    @Test
    void aCordonedNodeCreatesNoEniUntilItIsUncordoned() throws Exception {
        try (var api = new LoopbackApiServer(); var node = new NodeUnderTest("cordon", "m5.large", dir)) {
            var name = node.nodeName();
            api.createNode(name, Map.of(ZONE_LABEL, "us-west-2a"), OptionalInt.of(29));
            api.createAwsNodePod("kube-system", POD, name);
            var env = new HashMap<>(api.daemonEnv(dir, name, POD));
            // The pool: the primary ENI's 9 addresses, and one more free address at all times (a new ENI when it is full).
            env.put("MINIMUM_IP_TARGET", "9");
            env.put("WARM_IP_TARGET", "1");
            node.start(env);
            node.awaitLog(Duration.ofSeconds(30), "Node " + name + ": capacity.pods 29, not cordoned");
            node.await(Duration.ofSeconds(60), "the pool of the primary ENI's 9 addresses",
                    () -> NodeUnderTest.metric("awscni_total_ip_addresses").equals(Optional.of(9.0)), NodeUnderTest::metricsOrError);

            api.taint(name);
            node.awaitLog(Duration.ofSeconds(30), "the node is cordoned (taint node.kubernetes.io/unschedulable)");
            for (var i = 1; i <= 9; i++) {
                var ip = node.addUntilServed("pod-" + i, Duration.ofSeconds(30));
                assertEquals(node.primaryEni().id(), node.eniHolding(ip).orElseThrow().id(), "pod-" + i + " on the primary ENI");
            }
            var pending = node.add("pod-10");
            assertTrue(pending.stdout().contains("\"code\":11"), "the primary ENI's addresses are used: " + pending.stdout());
            // What the cordon held back: at the moment the node is uncordoned, no ENI was created or attached.
            assertEquals(0, node.ec2Calls().calls("CreateNetworkInterface"));
            assertEquals(1, node.attachedEnis().size());

            api.untaint(name);
            var ip = node.addUntilServed("pod-10", Duration.ofSeconds(60));
            var eni = node.eniHolding(ip).orElseThrow();
            assertEquals(1, eni.attachment().orElseThrow().deviceIndex(), "pod-10 on the ENI created after the uncordon: " + eni);
            assertTrue(node.logged("the node is no longer cordoned"));
            for (var i = 1; i <= 10; i++) {
                assertEquals(0, node.del("pod-" + i).exit());
            }
        }
    }
}
