package io.vpccni.ipamd.k8s;

import java.util.List;

/**
 * An {@code ENIConfig} ({@code crd.k8s.amazonaws.com/v1alpha1}, cluster-scoped): the subnet and security groups
 * for this node's new ENIs under custom networking.
 *
 * @param subnet         {@code spec.subnet}; blank when the object has none (an invalid ENIConfig)
 * @param securityGroups {@code spec.securityGroups}; empty means the primary ENI's
 */
public record EniConfig(String name, String subnet, List<String> securityGroups) {
    public EniConfig {
        subnet = subnet == null ? "" : subnet.strip();
        securityGroups = List.copyOf(securityGroups);
    }
}
