package io.vpccni.ipamd.k8s;

/**
 * What the daemon uses of the Kubernetes API, behind narrow ports: {@link KubeCluster} over Fabric8 is the real
 * one; {@link #none()} is a node with no API server configured (the sandbox's default), where every feature that
 * needs one is refused at start by the settings.
 */
public record Cluster(NodeView node, EniConfigs eniConfigs, ClusterEvents events, PodAnnotator pods,
                      CniNodeFeatures cniNode, SweepLease sweepLease, ApiServer apiServer, AutoCloseable resources)
        implements AutoCloseable {

    /** Whether the API server answers now, and why not when it does not: STATUS says it while a feature waits. */
    public interface ApiServer {
        boolean reachable();

        String problem();

        ApiServer NONE = new ApiServer() {
            @Override
            public boolean reachable() {
                return false;
            }

            @Override
            public String problem() {
                return "no API server is configured (neither in-cluster, KUBECONFIG nor CLUSTER_ENDPOINT)";
            }
        };
    }

    public static Cluster none() {
        return new Cluster(NodeView.NONE, EniConfigs.NONE, ClusterEvents.LOG, PodAnnotator.NONE, CniNodeFeatures.NONE,
                SweepLease.NONE, ApiServer.NONE, () -> { });
    }

    @Override
    public void close() throws Exception {
        resources.close();
    }
}
