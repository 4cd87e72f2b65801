package io.vpccni.ipamd.eni;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The facts about this node that new ENIs are made from: they go in the primary ENI's subnet with its
 * security groups, tagged for this instance (and cluster), and attach at a free device index below
 * {@code maxEnis}.
 */
public record NodeIdentity(String instanceId, String instanceType, String subnetId, List<String> securityGroupIds,
                           int maxEnis, Optional<String> clusterName, Map<String, String> additionalTags) {
    public NodeIdentity {
        securityGroupIds = List.copyOf(securityGroupIds);
        additionalTags = Map.copyOf(additionalTags);
    }
}
