package io.vpccni.ipamd.policy;

/**
 * The instance's limits as the pool uses them, after MAX_ENI and the addressing mode are applied.
 *
 * @param maxEni            ENIs the node may have: MAX_ENI if set and lower, else the instance limit
 * @param maxIpsPerEni      pod addresses one ENI can hold: its secondary /32s, or in prefix mode its prefixes × 16
 * @param maxPrefixesPerEni /28 prefixes one ENI can hold in prefix mode; 0 in secondary-IP mode
 */
public record PoolLimits(int maxEni, int maxIpsPerEni, int maxPrefixesPerEni) {
    /** A /28 prefix holds 16 addresses, all usable by pods (EC2 reserves none inside a delegated prefix). */
    public static final int IPS_PER_PREFIX = 16;

    public PoolLimits {
        if (maxEni < 1 || maxIpsPerEni < 1 || maxPrefixesPerEni < 0) {
            throw new IllegalArgumentException("pool limits must be positive: maxEni=" + maxEni
                    + ", maxIpsPerEni=" + maxIpsPerEni + ", maxPrefixesPerEni=" + maxPrefixesPerEni);
        }
    }

    public static PoolLimits of(PoolConfig config, InstanceLimits instance) {
        int maxEni = Math.min(config.maxEni().orElse(instance.maxEnis()), instance.maxEnis());
        // The ENI's primary address is the host's own, so neither a /32 nor a prefix slot.
        int slots = instance.ipv4PerEni() - 1;
        return config.prefixDelegation()
                ? new PoolLimits(maxEni, slots * IPS_PER_PREFIX, slots)
                : new PoolLimits(maxEni, slots, 0);
    }
}
