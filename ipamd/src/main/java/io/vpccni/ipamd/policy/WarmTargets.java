package io.vpccni.ipamd.policy;

import java.util.List;

import static io.vpccni.ipamd.policy.PoolLimits.IPS_PER_PREFIX;

/**
 * The warm-pool arithmetic: how far the pool is below or above its targets, and how much to ask for.
 *
 * <p>Two regimes, as upstream. With WARM_IP_TARGET or MINIMUM_IP_TARGET set, the pool is sized in addresses
 * (rounded to whole prefixes in prefix mode) and may shrink. Otherwise it is sized in whole ENIs (WARM_ENI_TARGET)
 * or whole prefixes (WARM_PREFIX_TARGET), and only prefix mode ever gives addresses back.
 */
final class WarmTargets {
    private final PoolConfig config;
    private final PoolLimits limits;

    WarmTargets(PoolConfig config, PoolLimits limits) {
        this.config = config;
        this.limits = limits;
    }

    /**
     * Upstream's datastoreTargetState "short": addresses missing to have WARM_IP_TARGET available and
     * MINIMUM_IP_TARGET in total; in prefix mode, the prefixes that would cover them. 0 without IP targets.
     */
    int shortfall(PoolStats stats) {
        if (!config.ipTargetsDefined()) {
            return 0;
        }
        int missing = Math.max(Math.max(config.warmIpTarget() - stats.availableIps(), 0),
                config.minimumIpTarget() - stats.totalIps());
        return config.prefixDelegation() ? Math.ceilDiv(missing, IPS_PER_PREFIX) : missing;
    }

    /**
     * Upstream's datastoreTargetState "over": addresses beyond WARM_IP_TARGET that MINIMUM_IP_TARGET does not
     * need. In prefix mode, free prefixes beyond those that hold the assigned addresses plus WARM_IP_TARGET,
     * and beyond MINIMUM_IP_TARGET rounded up to whole prefixes. 0 without IP targets.
     */
    int surplus(PoolStats stats) {
        if (!config.ipTargetsDefined()) {
            return 0;
        }
        if (config.prefixDelegation()) {
            int neededForWarm = Math.ceilDiv(stats.assignedIps() + config.warmIpTarget(), IPS_PER_PREFIX);
            int neededForMinimum = Math.ceilDiv(config.minimumIpTarget(), IPS_PER_PREFIX);
            int over = Math.min(stats.freePrefixes(),
                    Math.min(stats.totalPrefixes() - neededForWarm, stats.totalPrefixes() - neededForMinimum));
            return Math.max(over, 0);
        }
        int over = Math.max(stats.availableIps() - config.warmIpTarget(), 0);
        return Math.max(Math.min(over, stats.totalIps() - config.minimumIpTarget()), 0);
    }

    /** Max pods caps growth: addresses beyond the pods the node may run would never be used. */
    boolean atMaxPods(PoolStats stats, int maxPods) {
        return stats.totalIps() >= maxPods;
    }

    /** Upstream's isDatastorePoolTooLow, before the max-pods cap. */
    boolean belowTargets(PoolStats stats) {
        if (config.ipTargetsDefined()) {
            return shortfall(stats) > 0;
        }
        int target = warmUnitsTarget();
        int available = stats.availableIps();
        // With a target of 0 the pool still keeps one address, so the next pod does not wait for EC2.
        return available < addressesPerWarmUnit() * target || (target == 0 && available == 0);
    }

    boolean tooLow(PoolStats stats, int maxPods) {
        return !atMaxPods(stats, maxPods) && belowTargets(stats);
    }

    /**
     * Upstream's isDatastorePoolTooHigh. WARM_ENI_TARGET alone never frees addresses (intended, as upstream):
     * addresses are given back only for WARM_IP_TARGET/MINIMUM_IP_TARGET or, in prefix mode, WARM_PREFIX_TARGET;
     * a whole spare ENI goes through {@link #shouldRemoveExtraEnis} and ENI deletion instead.
     */
    boolean tooHigh(PoolStats stats) {
        if (config.ipTargetsDefined()) {
            return surplus(stats) > 0;
        }
        if (config.prefixDelegation()) {
            return stats.freePrefixes() > config.warmPrefixTarget();
        }
        return false;
    }

    /** How many addresses (prefixes in prefix mode) a decrease should give back. */
    int releasable(PoolStats stats) {
        if (config.ipTargetsDefined()) {
            return surplus(stats);
        }
        if (config.prefixDelegation()) {
            return Math.max(stats.freePrefixes() - config.warmPrefixTarget(), 0);
        }
        return 0;
    }

    /**
     * What to ask of an ENI when the pool is low, before its room is considered: with IP targets the shortfall,
     * else a whole ENI's addresses; in prefix mode upstream's getPrefixesNeeded, never less than one prefix.
     */
    int growthRequest(PoolStats stats) {
        if (config.prefixDelegation()) {
            int wanted = config.ipTargetsDefined()
                    ? shortfall(stats)
                    : Math.max(config.warmPrefixTarget() - stats.freePrefixes(), 0);
            return Math.max(1, wanted);
        }
        return config.ipTargetsDefined() ? shortfall(stats) : limits.maxIpsPerEni();
    }

    /** Upstream's GetENIResourcesToAllocate: the growth request, capped at what one ENI holds. */
    int newEniRequest(PoolStats stats) {
        return Math.min(growthRequest(stats), perEniCapacity());
    }

    /** Secondary addresses, or prefixes in prefix mode, one ENI can hold. */
    int perEniCapacity() {
        return config.prefixDelegation() ? limits.maxPrefixesPerEni() : limits.maxIpsPerEni();
    }

    /** Secondary addresses, or prefixes in prefix mode, the ENI holds now. */
    int held(EniState eni) {
        return config.prefixDelegation() ? eni.prefixes() : eni.totalIps();
    }

    /**
     * Upstream's shouldRemoveExtraENIs: whether to look for an ENI to delete at all. With IP targets always
     * (the per-ENI check decides); else when a whole ENI more than the warm target is available; in prefix mode
     * also when some ENI holds no pod (a lowered WARM_PREFIX_TARGET leaves such ENIs behind).
     */
    boolean shouldRemoveExtraEnis(PoolStats stats, List<EniState> enis) {
        if (config.ipTargetsDefined()) {
            return true;
        }
        if (stats.availableIps() >= (warmUnitsTarget() + 1) * limits.maxIpsPerEni()) {
            return true;
        }
        return config.prefixDelegation() && enis.stream()
                .anyMatch(eni -> !eni.primary() && !eni.trunk() && !eni.efa() && eni.assignedIps() == 0);
    }

    /** Why the pool counts as low, for the action's reason. */
    String describeShortfall(PoolStats stats) {
        if (config.ipTargetsDefined()) {
            return "short of " + count(shortfall(stats)) + " for " + ipTargets() + " (" + stats + ")";
        }
        return "available " + stats.availableIps() + " < " + warmUnitsName() + "=" + warmUnitsTarget() + " × "
                + addressesPerWarmUnit() + " (" + stats + ")";
    }

    /** Why the pool counts as high, for the action's reason. */
    String describeSurplus(PoolStats stats) {
        if (config.ipTargetsDefined()) {
            return count(releasable(stats)) + " over " + ipTargets() + " (" + stats + ")";
        }
        return count(releasable(stats)) + " over " + PoolConfig.WARM_PREFIX_TARGET + "="
                + config.warmPrefixTarget() + " (" + stats + ")";
    }

    /** "3 addresses" or "3 prefixes", as the mode counts. */
    String count(int n) {
        return n + (config.prefixDelegation() ? (n == 1 ? " prefix" : " prefixes") : (n == 1 ? " address" : " addresses"));
    }

    private String ipTargets() {
        return PoolConfig.WARM_IP_TARGET + "=" + config.warmIpTarget() + ", "
                + PoolConfig.MINIMUM_IP_TARGET + "=" + config.minimumIpTarget();
    }

    private int warmUnitsTarget() {
        return config.prefixDelegation() ? config.warmPrefixTarget() : config.warmEniTarget();
    }

    private String warmUnitsName() {
        return config.prefixDelegation() ? PoolConfig.WARM_PREFIX_TARGET : PoolConfig.WARM_ENI_TARGET;
    }

    private int addressesPerWarmUnit() {
        return config.prefixDelegation() ? IPS_PER_PREFIX : limits.maxIpsPerEni();
    }
}
