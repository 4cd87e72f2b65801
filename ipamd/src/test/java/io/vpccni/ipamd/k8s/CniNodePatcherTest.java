package io.vpccni.ipamd.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vpccni.ipamd.schedule.FakeScheduler;
import io.vpccni.ipamd.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.vpccni.ipamd.k8s.CniNodePatcher.CNI_NODE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CNINode through the real client against the mock server with the CNINode CRD from config/crds applied. */
class CniNodePatcherTest {
    private static final RetryDelay RETRY = new RetryDelay(Duration.ofMillis(500), Duration.ofSeconds(30));
    private static final String NODE = "ip-10-0-0-1";

    private final MockApiServer api = new MockApiServer();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final FakeScheduler scheduler = new FakeScheduler(clock);
    private final ApiServerHealth health = new ApiServerHealth("mock", clock);
    private final KubernetesClient client = api.daemonClient();
    private final CniNodePatcher patcher = new CniNodePatcher(client, NODE, health, scheduler, RETRY);

    @AfterEach
    void stop() {
        scheduler.close();
        client.close();
        api.close();
    }

    private GenericKubernetesResource cniNode() {
        return api.admin.genericKubernetesResources(CNI_NODE).withName(NODE).get();
    }

    private static List<Map<String, Object>> features(GenericKubernetesResource cniNode) {
        return CniNodePatcher.features(cniNode);
    }

    private static Map<String, Object> feature(String name, String value) {
        return value == null ? Map.of("name", name) : Map.of("name", name, "value", value);
    }

    @Test
    void createsTheCniNodeOwnedByTheNodeWhenThereIsNone() {
        var uid = api.admin.nodes().resource(new NodeBuilder().withNewMetadata().withName(NODE).endMetadata().build())
                .create().getMetadata().getUid();
        patcher.advertise("SecurityGroupsForPods", "");
        scheduler.runDue();

        var created = cniNode();
        assertEquals(List.of(feature("SecurityGroupsForPods", null)), features(created));
        var owner = created.getMetadata().getOwnerReferences().getFirst();
        assertEquals("Node", owner.getKind());
        assertEquals(NODE, owner.getName());
        assertEquals(uid, owner.getUid());
        assertTrue(scheduler.dueIn("k8s-cninode").isEmpty(), "done: nothing to retry");
    }

    @Test
    void addsAndUpdatesItsFeatureWithoutDroppingAnotherWritersFeatures() {
        var existing = new GenericKubernetesResourceBuilder().withApiVersion("vpcresources.k8s.aws/v1alpha1")
                .withKind("CNINode").withNewMetadata().withName(NODE).endMetadata()
                .addToAdditionalProperties("spec", new HashMap<>(Map.of("features", List.of(
                        feature("SecurityGroupsForPods", null)), "tags", Map.of("team", "net")))).build();
        api.admin.genericKubernetesResources(CNI_NODE).resource(existing).create();

        patcher.advertise("CustomNetworking", "us-west-2a");
        scheduler.runDue();
        assertEquals(List.of(feature("SecurityGroupsForPods", null), feature("CustomNetworking", "us-west-2a")),
                features(cniNode()));

        patcher.advertise("CustomNetworking", "us-west-2b");
        scheduler.runDue();
        assertEquals(List.of(feature("SecurityGroupsForPods", null), feature("CustomNetworking", "us-west-2b")),
                features(cniNode()), "updated in place, the other feature kept");
        assertEquals(Map.of("team", "net"), cniNode().get("spec", "tags"), "the rest of spec is kept");
    }

    @Test
    void aConcurrentWriterIsNotOverwritten() {
        var cniNodes = api.admin.genericKubernetesResources(CNI_NODE);
        var stale = cniNodes.resource(new GenericKubernetesResourceBuilder().withApiVersion("vpcresources.k8s.aws/v1alpha1")
                .withKind("CNINode").withNewMetadata().withName(NODE).endMetadata()
                .addToAdditionalProperties("spec", new HashMap<>(Map.of("features", List.of()))).build()).create();
        // The controller writes after the daemon read: the daemon's first read returns the older version, so its
        // update carries a stale resourceVersion, which the server refuses with 409.
        cniNodes.withName(NODE).edit(cniNode -> {
            cniNode.setAdditionalProperty("spec", new HashMap<>(Map.of("features", List.of(feature("SecurityGroupsForPods", null)))));
            return cniNode;
        });
        api.server.expect().get().withPath("/apis/vpcresources.k8s.aws/v1alpha1/cninodes/" + NODE).andReturn(200, stale).once();

        patcher.advertise("CustomNetworking", "us-west-2a");
        scheduler.runDue();
        assertEquals(List.of(feature("SecurityGroupsForPods", null), feature("CustomNetworking", "us-west-2a")),
                features(cniNode()), "merged into the newer version, the controller's feature kept");
        assertTrue(scheduler.dueIn("k8s-cninode").isEmpty(), "settled within the pass");
    }

    @Test
    void retriesInTheBackgroundWhileTheServerFails() {
        api.server.expect().get().withPath("/apis/vpcresources.k8s.aws/v1alpha1/cninodes/" + NODE)
                .andReturn(503, Map.of("kind", "Status", "code", 503, "message", "unavailable")).once();
        patcher.advertise("SecurityGroupsForPods", "");
        scheduler.runDue();
        assertNull(cniNode());
        assertTrue(health.problem().contains("writing CNINode " + NODE), health.problem());

        scheduler.advance(RETRY.longest());
        assertEquals(List.of(feature("SecurityGroupsForPods", null)), features(cniNode()));
        assertTrue(health.reachable(), health.problem());
    }

    @Test
    void mergeKeepsOrderAndOtherEntries() {
        var merged = CniNodePatcher.merge(List.of(feature("A", "1"), feature("B", null), feature("C", "3")),
                new java.util.LinkedHashMap<>(Map.of("B", "2")));
        assertEquals(List.of(feature("A", "1"), feature("B", "2"), feature("C", "3")), merged);
    }
}
