package io.vpccni.ipamd;

import io.vpccni.ipamd.k8s.Cluster;
import io.vpccni.ipamd.k8s.CniNodeFeatures;
import io.vpccni.ipamd.k8s.InMemoryCluster;
import io.vpccni.ipamd.k8s.PodAnnotator;
import io.vpccni.ipamd.k8s.SweepLease;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** When the pool waits for the API server, and what the node advertises on its CNINode. */
class ClusterFeaturesTest {
    private static final Map<String, String> CUSTOM = Map.of("KUBECONFIG", "/etc/kubeconfig", "MY_NODE_NAME", "ip-10-0-0-1",
            "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG", "true", "ENI_CONFIG_LABEL_DEF", "topology.kubernetes.io/zone");

    private final InMemoryCluster objects = new InMemoryCluster().unsynced();
    private final List<String> advertised = new CopyOnWriteArrayList<>();
    private boolean reachable;

    private ClusterFeatures features(Map<String, String> env) {
        var apiServer = new Cluster.ApiServer() {
            @Override
            public boolean reachable() {
                return reachable;
            }

            @Override
            public String problem() {
                return reachable ? "" : "GET /version failed: connection refused";
            }
        };
        CniNodeFeatures cniNode = (feature, value) -> advertised.add(feature + "=" + value);
        var cluster = new Cluster(objects, objects, objects, PodAnnotator.NONE, cniNode, SweepLease.NONE, apiServer, () -> { });
        return new ClusterFeatures(Settings.read(env, "1.0.0"), cluster);
    }

    @Test
    void withoutAFeatureThatNeedsItThePoolNeverWaitsForTheApiServer() {
        assertNull(features(Map.of("KUBECONFIG", "/etc/kubeconfig", "MY_NODE_NAME", "n")).notReady());
    }

    @Test
    void customNetworkingWaitsForTheServerThenForTheNodeAndTheEniConfigs() {
        var features = features(CUSTOM);
        assertEquals("waiting for the API server, which AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG need: GET /version failed: "
                + "connection refused", features.notReady());
        reachable = true;
        assertEquals("waiting for the API server, which AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG need: the Node ip-10-0-0-1 and "
                + "the ENIConfigs have not been read yet", features.notReady());
        objects.node("ip-10-0-0-1", OptionalInt.empty(), false, Map.of(), Map.of());
        assertNotNull(features.notReady(), "the ENIConfigs are not read yet");
        objects.synced(true);
        assertNull(features.notReady());
    }

    @Test
    void theChosenEniConfigIsAdvertisedOnceAndAgainWhenItChangesButNeverDefault() {
        var features = features(CUSTOM);
        objects.node("ip-10-0-0-1", OptionalInt.empty(), false, Map.of(), Map.of());
        features.advertiseCustomNetworking();
        objects.node("ip-10-0-0-1", OptionalInt.empty(), false, Map.of("topology.kubernetes.io/zone", "us-west-2a"), Map.of());
        objects.node("ip-10-0-0-1", OptionalInt.of(58), false, Map.of("topology.kubernetes.io/zone", "us-west-2a"), Map.of());
        objects.node("ip-10-0-0-1", OptionalInt.of(58), false, Map.of("topology.kubernetes.io/zone", "us-west-2b"), Map.of());
        assertEquals(List.of("CustomNetworking=us-west-2a", "CustomNetworking=us-west-2b"), advertised);
    }
}
