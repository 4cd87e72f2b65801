package io.vpccni.ipamd.policy;

/**
 * What EC2 allows one instance type: how many ENIs it can attach and how many private IPv4 addresses each ENI
 * holds, the ENI's own primary address included (EC2's "IPv4 addresses per interface"). In prefix-delegation
 * mode the same number, less the primary, is how many /28 prefixes an ENI holds.
 */
public record InstanceLimits(String instanceType, int maxEnis, int ipv4PerEni) {
    public InstanceLimits {
        if (instanceType == null || instanceType.isBlank()) {
            throw new IllegalArgumentException("instance type must not be blank");
        }
        if (maxEnis < 1) {
            throw new IllegalArgumentException("instance type " + instanceType + ": maxEnis=" + maxEnis + " must be at least 1");
        }
        // One address is the ENI's primary, which pods never get; an ENI needs one more to be of any use.
        if (ipv4PerEni < 2) {
            throw new IllegalArgumentException("instance type " + instanceType + ": ipv4PerEni=" + ipv4PerEni + " must be at least 2");
        }
    }
}
