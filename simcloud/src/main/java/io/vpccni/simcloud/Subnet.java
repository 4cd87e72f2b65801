package io.vpccni.simcloud;

import java.util.Map;

/** An immutable snapshot of a subnet, including how many addresses are still free. */
public record Subnet(String id, String vpcId, Cidr cidr, String availabilityZone, int availableAddresses,
                     Map<String, String> tags) {}
