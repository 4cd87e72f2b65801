package io.vpccni.test;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.vpccni.test.cluster.LoopbackApiServer;
import io.vpccni.test.node.NodeUnderTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

import static io.vpccni.test.cluster.LoopbackApiServer.ZONE_LABEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ANNOTATE_POD_IP with the real daemon and plugin: every pod served gets {@code vpc.amazonaws.com/pod-ips} with its
 * address, written after the ADD has answered (an ADD never waits for the API server); one served while the API server
 * is away gets it once the server is back; a pod without a Pod object (deleted meanwhile) costs nothing but a log line.
 * And the event an operator most needs to see: a checkpoint the daemon cannot trust.
 */
@EnabledIfSystemProperty(named = "vpccni.netns", matches = "private", disabledReason = "needs root and test/bin/java-in-netns")
class AnnotatePodIpE2E {
    private static final String POD = "aws-node-4nn0t";
    private static final String ANNOTATION = "vpc.amazonaws.com/pod-ips";

    @TempDir
    Path dir;

    @Test
    void everyServedPodIsAnnotatedWithItsAddressAlsoAfterAnOutage() throws Exception {
        try (var api = new LoopbackApiServer(); var node = new NodeUnderTest("annot", "m5.large", dir)) {
            var name = node.nodeName();
            api.createNode(name, Map.of(ZONE_LABEL, "us-west-2a"), OptionalInt.of(29));
            api.createAwsNodePod("kube-system", POD, name);
            for (var i = 1; i <= 10; i++) {
                api.admin.pods().inNamespace("e2e").resource(new PodBuilder().withNewMetadata().withName("pod-" + i)
                        .withNamespace("e2e").endMetadata().withNewSpec().withNodeName(name).addNewContainer().withName("app")
                        .withImage("app").endContainer().endSpec().build()).create();
            }
            var env = new HashMap<>(api.daemonEnv(dir, name, POD));
            env.put("ANNOTATE_POD_IP", "true");
            node.start(env);

            var served = new LinkedHashMap<String, String>();
            for (var i = 1; i <= 8; i++) {
                served.put("pod-" + i, node.addUntilServed("pod-" + i, Duration.ofSeconds(60)));
            }
            served.put("pod-gone", node.addUntilServed("pod-gone", Duration.ofSeconds(30)));  // no Pod object: dropped
            api.goDown();
            served.put("pod-9", node.addUntilServed("pod-9", Duration.ofSeconds(30)));  // served without the API server
            api.comeBack();

            for (var pod : served.keySet()) {
                if (pod.equals("pod-gone")) {
                    continue;
                }
                node.await(Duration.ofSeconds(60), pod + " annotated with " + served.get(pod),
                        () -> served.get(pod).equals(annotation(api, pod)), () -> pod + ": " + annotation(api, pod));
            }
            assertEquals(null, annotation(api, "pod-10"), "a pod never served is never annotated");
            node.await(Duration.ofSeconds(10), "every write timed", () -> NodeUnderTest.metric("awscni_pod_ip_annotation_seconds_count")
                    .orElse(0.0) >= 9, NodeUnderTest::metricsOrError);
            var count = NodeUnderTest.metric("awscni_pod_ip_annotation_seconds_count").orElseThrow();
            var sum = NodeUnderTest.metric("awscni_pod_ip_annotation_seconds_sum").orElseThrow();
            var max = NodeUnderTest.metric("awscni_pod_ip_annotation_seconds_max").orElseThrow();
            System.out.printf("ANNOTATE_POD_IP: %.0f annotations written, from ADD to write mean %.1f ms, max %.1f ms "
                    + "(one pod was served during an outage of the API server)%n", count, sum / count * 1000, max * 1000);
            assertTrue(node.logged("pod-gone"), "the dropped write is logged, naming the pod");
        }
    }

    @Test
    void anUntrustworthyCheckpointIsAWarningEventOnTheAwsNodePod() throws Exception {
        try (var api = new LoopbackApiServer(); var node = new NodeUnderTest("ckpt", "m5.large", dir)) {
            var name = node.nodeName();
            api.createNode(name, Map.of(ZONE_LABEL, "us-west-2a"), OptionalInt.of(29));
            api.createAwsNodePod("kube-system", POD, name);
            java.nio.file.Files.writeString(dir.resolve("ipam.json"), "{\"version\":\"vpc-cni-ipam/1\",\"allocations\":[{\"network");
            node.start(api.daemonEnv(dir, name, POD));
            node.await(Duration.ofSeconds(60), "a CheckpointUntrustworthy event", () -> !api.events("CheckpointUntrustworthy").isEmpty(),
                    () -> api.events().toString());
            var event = api.events("CheckpointUntrustworthy").getFirst();
            assertEquals("Warning", event.getType());
            assertEquals(POD, event.getInvolvedObject().getName());
            assertTrue(event.getMessage().startsWith("the IP pool stays closed and no pod gets an address: "), event.getMessage());
            assertEquals(50, statusCode(node.status().stdout()), "STATUS says the pool is closed: " + node.status().stdout());
        }
    }

    private static int statusCode(String stdout) {
        var m = java.util.regex.Pattern.compile("\"code\":(\\d+)").matcher(stdout);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static String annotation(LoopbackApiServer api, String pod) {
        var found = api.admin.pods().inNamespace("e2e").withName(pod).get();
        return found == null || found.getMetadata().getAnnotations() == null ? null : found.getMetadata().getAnnotations().get(ANNOTATION);
    }
}
