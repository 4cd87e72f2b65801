package io.vpccni.ipamd.cloud;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to create an ENI with. At most one of {@code secondaryIpCount} and {@code prefixCount} is non-zero:
 * EC2 refuses a request that asks for both.
 */
public record CreateEniRequest(String subnetId, List<String> securityGroupIds, String description,
                               int secondaryIpCount, int prefixCount, Map<String, String> tags) {
    public CreateEniRequest {
        Objects.requireNonNull(subnetId, "subnetId");
        securityGroupIds = List.copyOf(securityGroupIds);
        tags = Map.copyOf(tags);
        if (secondaryIpCount < 0 || prefixCount < 0) {
            throw new IllegalArgumentException("ENI in " + subnetId + ": address and prefix counts must be >= 0, got "
                    + secondaryIpCount + " and " + prefixCount);
        }
        if (secondaryIpCount > 0 && prefixCount > 0) {
            throw new IllegalArgumentException("ENI in " + subnetId
                    + ": ask for secondary IPs or for prefixes, not both (" + secondaryIpCount + " IPs, "
                    + prefixCount + " prefixes)");
        }
    }
}
