package io.vpccni.ipamd.policy;

import io.vpccni.ipamd.config.Env;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * The warm-pool settings, read from the environment the aws-node DaemonSet gives the daemon.
 *
 * <p>WARM_IP_TARGET and MINIMUM_IP_TARGET use 0 for "not set", as upstream does: setting either to 0 is the
 * same as leaving it out. MAX_ENI is empty when unset, meaning the instance type's limit.
 *
 * <p>Deliberate difference from upstream: upstream logs and falls back to the default when a value does not parse
 * or is negative (so {@code WARM_IP_TARGET=-3} silently means "unset", {@code MAX_ENI=0} means "instance limit",
 * and booleans also accept {@code 1}/{@code t}/{@code F}). Here a bad value stops the daemon at start with the
 * variable, the value and what is accepted, because a silently ignored pool setting is found only when a node
 * runs out of addresses.
 */
public record PoolConfig(
        int warmEniTarget,
        int warmIpTarget,
        int minimumIpTarget,
        int warmPrefixTarget,
        OptionalInt maxEni,
        boolean prefixDelegation,
        Duration ipCooldownPeriod,
        boolean networkResourceProvisioningDisabled) {

    public static final String WARM_ENI_TARGET = "WARM_ENI_TARGET";
    public static final String WARM_IP_TARGET = "WARM_IP_TARGET";
    public static final String MINIMUM_IP_TARGET = "MINIMUM_IP_TARGET";
    public static final String WARM_PREFIX_TARGET = "WARM_PREFIX_TARGET";
    public static final String MAX_ENI = "MAX_ENI";
    public static final String ENABLE_PREFIX_DELEGATION = "ENABLE_PREFIX_DELEGATION";
    public static final String IP_COOLDOWN_PERIOD = "IP_COOLDOWN_PERIOD";
    public static final String DISABLE_NETWORK_RESOURCE_PROVISIONING = "DISABLE_NETWORK_RESOURCE_PROVISIONING";

    public static final int DEFAULT_WARM_ENI_TARGET = 1;
    public static final int DEFAULT_WARM_PREFIX_TARGET = 0;
    public static final Duration DEFAULT_IP_COOLDOWN_PERIOD = Duration.ofSeconds(30);

    // Upper bounds are sanity limits, far above any instance type, so a typo (an extra digit) is caught.
    static final int MAX_ENI_COUNT = 1000;
    static final int MAX_ADDRESS_COUNT = 10_000;
    static final int MAX_COOLDOWN_SECONDS = 3600;

    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]{1,10}");

    public PoolConfig {
        requireRange(WARM_ENI_TARGET, warmEniTarget, 0, MAX_ENI_COUNT);
        requireRange(WARM_IP_TARGET, warmIpTarget, 0, MAX_ADDRESS_COUNT);
        requireRange(MINIMUM_IP_TARGET, minimumIpTarget, 0, MAX_ADDRESS_COUNT);
        requireRange(WARM_PREFIX_TARGET, warmPrefixTarget, 0, MAX_ADDRESS_COUNT);
        if (maxEni == null) {
            throw new IllegalArgumentException(MAX_ENI + " must be given (empty for the instance type's limit)");
        }
        maxEni.ifPresent(value -> requireRange(MAX_ENI, value, 1, MAX_ENI_COUNT));
        if (ipCooldownPeriod == null || ipCooldownPeriod.isNegative()
                || ipCooldownPeriod.compareTo(Duration.ofSeconds(MAX_COOLDOWN_SECONDS)) > 0) {
            throw new IllegalArgumentException(IP_COOLDOWN_PERIOD + "='" + ipCooldownPeriod
                    + "' must be from 0 to " + MAX_COOLDOWN_SECONDS + " seconds");
        }
        // Upstream's validateEnvVars: with prefixes and every target 0, each prefix would go back to EC2 the moment
        // its last pod left, and the next pod would wait for a new one to be attached.
        if (prefixDelegation && warmPrefixTarget == 0 && warmIpTarget == 0 && minimumIpTarget == 0) {
            throw new IllegalArgumentException(ENABLE_PREFIX_DELEGATION + "='true' needs " + WARM_PREFIX_TARGET + ", "
                    + WARM_IP_TARGET + " or " + MINIMUM_IP_TARGET + " above 0, but all are 0 or unset; set "
                    + WARM_PREFIX_TARGET + "=1 to keep one spare /28 prefix");
        }
    }

    /** Every variable at its default: the pool a DaemonSet without warm-pool settings gets. */
    public static PoolConfig defaults() {
        return fromEnv(Map.of());
    }

    /** Reads the variables from {@code env}; an absent or empty (blank) variable takes its default. */
    public static PoolConfig fromEnv(Map<String, String> env) {
        var cooldownSeconds = integer(env, IP_COOLDOWN_PERIOD, 0, MAX_COOLDOWN_SECONDS, " seconds");
        return new PoolConfig(
                integer(env, WARM_ENI_TARGET, 0, MAX_ENI_COUNT, "").orElse(DEFAULT_WARM_ENI_TARGET),
                integer(env, WARM_IP_TARGET, 0, MAX_ADDRESS_COUNT, "").orElse(0),
                integer(env, MINIMUM_IP_TARGET, 0, MAX_ADDRESS_COUNT, "").orElse(0),
                integer(env, WARM_PREFIX_TARGET, 0, MAX_ADDRESS_COUNT, "").orElse(DEFAULT_WARM_PREFIX_TARGET),
                integer(env, MAX_ENI, 1, MAX_ENI_COUNT, "; leave it unset for the instance type's limit"),
                Env.bool(env, ENABLE_PREFIX_DELEGATION, false),
                cooldownSeconds.isPresent() ? Duration.ofSeconds(cooldownSeconds.getAsInt()) : DEFAULT_IP_COOLDOWN_PERIOD,
                Env.bool(env, DISABLE_NETWORK_RESOURCE_PROVISIONING, false));
    }

    /** True when WARM_IP_TARGET or MINIMUM_IP_TARGET is set: they then replace WARM_ENI_TARGET/WARM_PREFIX_TARGET. */
    public boolean ipTargetsDefined() {
        return warmIpTarget > 0 || minimumIpTarget > 0;
    }

    private static OptionalInt integer(Map<String, String> env, String name, int min, int max, String suffix) {
        var raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return OptionalInt.empty();
        }
        var text = raw.strip();
        if (!INTEGER.matcher(text).matches()) {
            throw outOfRange(name, raw, min, max, suffix);
        }
        long value = Long.parseLong(text);
        if (value < min || value > max) {
            throw outOfRange(name, raw, min, max, suffix);
        }
        return OptionalInt.of((int) value);
    }

    private static void requireRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw outOfRange(name, Integer.toString(value), min, max, "");
        }
    }

    private static IllegalArgumentException outOfRange(String name, String raw, int min, int max, String suffix) {
        return new IllegalArgumentException(name + "='" + raw + "' must be an integer from " + min + " to " + max + suffix);
    }
}
