package io.vpccni.test;

import io.vpccni.test.cluster.LoopbackApiServer;
import io.vpccni.test.node.NodeUnderTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static io.vpccni.test.cluster.LoopbackApiServer.ZONE_LABEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real daemon and plugin while the API server is away (its port refuses connections and its watches are cut).
 * Without a feature that needs it, pods are served whether it went before the daemon started or after, and once it is
 * back the daemon reads the Node again and follows what changed (a taint, a raised pod capacity). With custom
 * networking the pool waits for it, and CNI STATUS says "waiting for the API server" until it answers.
 */
@EnabledIfSystemProperty(named = "vpccni.netns", matches = "private", disabledReason = "needs root and test/bin/java-in-netns")
class ApiServerOutageE2E {
    private static final String ZONE = "us-west-2a";
    private static final String POD = "aws-node-q4m9z";

    @TempDir
    Path dir;

    @Test
    void podsAreServedWhenTheApiServerIsDownFromTheStartAndTheNodeIsReadWhenItReturns() throws Exception {
        try (var api = new LoopbackApiServer(); var node = new NodeUnderTest("apidown", "m5.large", dir)) {
            var name = node.nodeName();
            api.createNode(name, Map.of(ZONE_LABEL, ZONE), OptionalInt.of(29));
            api.createAwsNodePod("kube-system", POD, name);
            api.goDown();
            node.start(api.daemonEnv(dir, name, POD));

            var ip = node.addUntilServed("pod-1", Duration.ofSeconds(60));
            assertTrue(ip.startsWith("10.0.1."), ip);
            assertEquals(0, node.status().exit(), "the node is ready without its API server");
            assertFalse(node.logged("Node " + name + ": capacity.pods"), "the daemon could not have read its Node");

            api.comeBack();
            node.awaitLog(Duration.ofSeconds(60), "Node " + name + ": capacity.pods 29, not cordoned");
            // A change made after the return reaches the pool.
            api.taint(name);
            node.awaitLog(Duration.ofSeconds(30), "the node is cordoned (taint node.kubernetes.io/unschedulable)");
            assertEquals(0, node.del("pod-1").exit());
        }
    }

    @Test
    void podsAreServedWhileTheApiServerIsDownAndARaisedCapacityIsHonouredOnceItIsBack() throws Exception {
        try (var api = new LoopbackApiServer(); var node = new NodeUnderTest("apigone", "m5.large", dir)) {
            var name = node.nodeName();
            api.createNode(name, Map.of(ZONE_LABEL, ZONE), OptionalInt.of(110));
            api.createAwsNodePod("kube-system", POD, name);
            node.start(api.daemonEnv(dir, name, POD));
            // WARM_ENI_TARGET=1 on an m5.large: the primary ENI's 9 addresses are the warm ENI's worth.
            node.await(Duration.ofSeconds(60), "the warm pool of 9 addresses",
                    () -> NodeUnderTest.metric("awscni_total_ip_addresses").equals(Optional.of(9.0)), NodeUnderTest::metricsOrError);
            api.setCapacityPods(name, 9);
            node.awaitLog(Duration.ofSeconds(30), "Node " + name + ": capacity.pods 9, not cordoned");

            api.goDown();
            for (var i = 1; i <= 9; i++) {
                node.addUntilServed("pod-" + i, Duration.ofSeconds(30));
            }
            var pending = node.add("pod-10");
            assertTrue(pending.stdout().contains("\"code\":11"), "9 pods fill the node's capacity: " + pending.stdout());
            assertEquals(1, node.attachedEnis().size());

            api.comeBack();
            api.setCapacityPods(name, 29);  // set after the return
            var ip = node.addUntilServed("pod-10", Duration.ofSeconds(90));
            var eni = node.eniHolding(ip).orElseThrow();
            assertEquals(1, eni.attachment().orElseThrow().deviceIndex(), "a second ENI, created for the raised capacity: " + eni);
            assertTrue(node.logged("Node " + name + ": capacity.pods 29, not cordoned"));
        }
    }

    @Test
    void withCustomNetworkingThePoolWaitsForTheApiServerAndStatusSaysSo() throws Exception {
        try (var api = new LoopbackApiServer(); var node = new NodeUnderTest("apicn", "m5.large", dir)) {
            var account = node.cloud.account;
            account.addVpcCidr("100.64.0.0/16");
            var podSubnet = account.createSubnet("100.64.0.0/19", ZONE);
            var name = node.nodeName();
            api.createNode(name, Map.of(ZONE_LABEL, ZONE), OptionalInt.of(29));
            api.createAwsNodePod("kube-system", POD, name);
            api.createEniConfig(ZONE, podSubnet, List.of());
            api.goDown();
            var env = new HashMap<>(api.daemonEnv(dir, name, POD));
            env.put("AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG", "true");
            env.put("ENI_CONFIG_LABEL_DEF", ZONE_LABEL);
            node.start(env);

            var status = new Executables.Result[1];
            node.await(Duration.ofSeconds(30), "STATUS says the pool waits for the API server", () -> {
                status[0] = quietly(node::status);
                return status[0].stdout().contains("waiting for the API server");
            }, () -> status[0] == null ? "" : status[0].stdout());
            assertNotEquals(0, status[0].exit());
            assertTrue(status[0].stdout().contains("\"code\":50"), status[0].stdout());
            assertTrue(status[0].stdout().contains("AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG"), "names the feature: " + status[0].stdout());
            var add = node.add("pod-1");
            assertTrue(add.stdout().contains("\"code\":11"), add.stdout());
            assertEquals(0, node.ec2Calls().calls("CreateNetworkInterface"));

            api.comeBack();
            var ip = node.addUntilServed("pod-1", Duration.ofSeconds(90));
            assertEquals(podSubnet, node.eniHolding(ip).orElseThrow().subnetId());
            assertEquals(0, node.status().exit());

            // Once open, the pool does not close again when the API server goes: the ENI's free addresses serve pods.
            api.goDown();
            var second = node.addUntilServed("pod-2", Duration.ofSeconds(30));
            assertEquals(podSubnet, node.eniHolding(second).orElseThrow().subnetId());
            assertEquals(0, node.status().exit());
        }
    }

    interface Call<T> {
        T call() throws Exception;
    }

    private static <T> T quietly(Call<T> call) {
        try {
            return call.call();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
