package io.vpccni.ipamd.eni;

import java.util.List;

/**
 * Where a new ENI goes: a subnet and the security groups it gets there.
 *
 * @param source what chose it, for the log line of the ENI it creates (e.g. "ENIConfig us-west-2a")
 */
public record Placement(String subnetId, List<String> securityGroupIds, String source) {
    public Placement {
        if (subnetId == null || subnetId.isBlank()) {
            throw new IllegalArgumentException("a placement needs a subnet (" + source + ")");
        }
        securityGroupIds = List.copyOf(securityGroupIds);
    }
}
