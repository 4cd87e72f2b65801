package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.cloud.Subnet;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which subnets of the node's VPC and zone may take its new ENIs under {@code ENABLE_SUBNET_DISCOVERY}, best first,
 * from their tags: the primary ENI's subnet unless tagged {@code kubernetes.io/role/cni=0}, any other only when tagged
 * {@code kubernetes.io/role/cni} (with a value other than 0); a subnet tagged for named clusters
 * ({@code cni.networking.k8s.aws/cluster/<name>}) only for those clusters. The most free addresses first, so ENIs
 * spread out before any subnet runs dry.
 */
final class SubnetRanking {
    static final String ROLE_TAG = "kubernetes.io/role/cni";
    static final String CLUSTER_TAG_PREFIX = "cni.networking.k8s.aws/cluster/";

    private SubnetRanking() {
    }

    static List<Subnet> rank(List<Subnet> subnets, String primarySubnetId, Optional<String> clusterName) {
        return subnets.stream()
                .filter(s -> eligible(s, primarySubnetId, clusterName))
                .sorted(Comparator.comparingInt(Subnet::availableIps).reversed()
                        .thenComparing(s -> !s.id().equals(primarySubnetId))
                        .thenComparing(Subnet::id))
                .toList();
    }

    private static boolean eligible(Subnet subnet, String primarySubnetId, Optional<String> clusterName) {
        var tags = subnet.tags();
        var role = tags.get(ROLE_TAG);
        if ("0".equals(role == null ? null : role.strip())) {
            return false;
        }
        if (!forThisCluster(tags, clusterName)) {
            return false;
        }
        return subnet.id().equals(primarySubnetId) || role != null;
    }

    /** A subnet tagged for some clusters serves those only; one tagged for none serves every cluster. */
    private static boolean forThisCluster(Map<String, String> tags, Optional<String> clusterName) {
        var named = tags.keySet().stream().filter(k -> k.startsWith(CLUSTER_TAG_PREFIX)).toList();
        return named.isEmpty() || clusterName.map(n -> named.contains(CLUSTER_TAG_PREFIX + n)).orElse(false);
    }
}
