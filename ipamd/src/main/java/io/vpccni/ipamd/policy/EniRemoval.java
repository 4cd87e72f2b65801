package io.vpccni.ipamd.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static io.vpccni.ipamd.policy.PoolLimits.IPS_PER_PREFIX;

/**
 * Upstream's getDeletableENI: which ENI, if any, can be detached and deleted without hurting a pod or a target.
 * ENIs are tried from the highest device number down, so the same pool always gives the same answer and the
 * most recently added slot is freed first.
 */
final class EniRemoval {
    /** An ENI younger than this is kept: the pods it was attached for may not have arrived yet. */
    static final Duration MIN_ENI_LIFETIME = Duration.ofMinutes(1);

    private final PoolConfig config;

    EniRemoval(PoolConfig config) {
        this.config = config;
    }

    /** The deletable ENI with the highest device number, or why none is: one refusal per ENI, for the log. */
    record Verdict(Optional<EniState> deletable, List<String> refusals) {
        Verdict {
            refusals = List.copyOf(refusals);
        }
    }

    /** Tries {@code candidates}, judging each against the whole pool {@code enis}. */
    Verdict find(List<EniState> candidates, List<EniState> enis, Instant now) {
        var refusals = new ArrayList<String>();
        for (var eni : WarmPoolPolicy.byDeviceNumber(candidates).reversed()) {
            var refusal = refusal(eni, enis, now);
            if (refusal.isEmpty()) {
                return new Verdict(Optional.of(eni), refusals);
            }
            refusals.add(eni.eniId() + " " + refusal.get());
        }
        return new Verdict(Optional.empty(), refusals);
    }

    /** Why {@code eni} must stay, or empty if it may go. */
    Optional<String> refusal(EniState eni, List<EniState> enis, Instant now) {
        if (eni.primary()) {
            return Optional.of("is the primary ENI");
        }
        if (eni.trunk()) {
            return Optional.of("is the trunk ENI");
        }
        if (eni.efa()) {
            return Optional.of("is an EFA ENI");
        }
        if (Duration.between(eni.createdAt(), now).compareTo(MIN_ENI_LIFETIME) < 0) {
            return Optional.of("is too young (attached less than " + MIN_ENI_LIFETIME.toSeconds() + "s ago)");
        }
        if (eni.coolingIps() > 0) {
            return Optional.of("has " + addresses(eni.coolingIps(), "cooling"));
        }
        if (eni.assignedIps() > 0) {
            return Optional.of("has " + addresses(eni.assignedIps(), "assigned"));
        }
        // An excluded ENI's addresses never serve pods, so no target can need them.
        if (eni.excluded()) {
            return Optional.empty();
        }
        if (config.warmIpTarget() > 0 && requiredForWarmIpTarget(eni, enis)) {
            return Optional.of("is needed for " + PoolConfig.WARM_IP_TARGET + "=" + config.warmIpTarget());
        }
        if (config.minimumIpTarget() > 0 && requiredForMinimumIpTarget(eni, enis)) {
            return Optional.of("is needed for " + PoolConfig.MINIMUM_IP_TARGET + "=" + config.minimumIpTarget());
        }
        if (config.prefixDelegation() && config.warmPrefixTarget() > 0 && requiredForWarmPrefixTarget(eni, enis)) {
            return Optional.of("is needed for " + PoolConfig.WARM_PREFIX_TARGET + "=" + config.warmPrefixTarget());
        }
        return Optional.empty();
    }

    /** Without this ENI, would the others still have WARM_IP_TARGET unassigned (whole prefixes in prefix mode)? */
    private boolean requiredForWarmIpTarget(EniState eni, List<EniState> enis) {
        int othersUnassigned = others(eni, enis).mapToInt(EniState::unassignedIps).sum();
        return othersUnassigned < inWholePrefixes(config.warmIpTarget());
    }

    /** Without this ENI, would the others still hold MINIMUM_IP_TARGET (whole prefixes in prefix mode)? */
    private boolean requiredForMinimumIpTarget(EniState eni, List<EniState> enis) {
        int othersTotal = others(eni, enis).mapToInt(EniState::totalIps).sum();
        return othersTotal < inWholePrefixes(config.minimumIpTarget());
    }

    /** Without this ENI, would the others still have WARM_PREFIX_TARGET free prefixes? */
    private boolean requiredForWarmPrefixTarget(EniState eni, List<EniState> enis) {
        int othersFree = others(eni, enis).mapToInt(EniState::freePrefixes).sum();
        return othersFree < config.warmPrefixTarget();
    }

    private static String addresses(int n, String state) {
        return n + " " + state + (n == 1 ? " address" : " addresses");
    }

    private int inWholePrefixes(int addresses) {
        return config.prefixDelegation() ? Math.ceilDiv(addresses, IPS_PER_PREFIX) * IPS_PER_PREFIX : addresses;
    }

    private static Stream<EniState> others(EniState eni, List<EniState> enis) {
        return enis.stream().filter(other -> !other.excluded() && !other.eniId().equals(eni.eniId()));
    }
}
