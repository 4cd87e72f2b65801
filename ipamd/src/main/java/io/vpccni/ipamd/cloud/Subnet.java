package io.vpccni.ipamd.cloud;

import java.util.Map;

/** A VPC subnet as EC2 describes it; {@code availableIps} is EC2's count of free IPv4 addresses. */
public record Subnet(String id, String vpcId, String availabilityZone, String cidr, int availableIps,
                     Map<String, String> tags) {
    public Subnet {
        tags = Map.copyOf(tags);
    }
}
