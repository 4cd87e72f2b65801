package io.vpccni.ipamd.rpc;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vpccni.ipamd.pool.PoolException;

import java.time.Duration;

/**
 * What each CNI call did, as the daemon saw it: upstream's {@code awscni_add_ip_req_count},
 * {@code awscni_del_ip_req_count{reason}} and {@code awscni_no_available_ip_addresses}, and ours,
 * {@code awscni_cni_request_seconds{verb,outcome}} (outcome: ok or the gRPC status code).
 */
public final class CallMetrics {
    /** From a warm ADD (about a millisecond) to a runtime's patience. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(10)};

    public static final CallMetrics NONE = new CallMetrics(null);

    private final MeterRegistry registry;
    private final Counter adds;
    private final Counter exhausted;

    public CallMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.adds = registry == null ? null : Counter.builder("awscni_add_ip_req_count")
                .description("ADD requests received").register(registry);
        this.exhausted = registry == null ? null : Counter.builder("awscni_no_available_ip_addresses")
                .description("ADD requests that found no free address").register(registry);
    }

    void received(String verb, String delReason) {
        if (registry == null) {
            return;
        }
        switch (verb) {
            case "ADD" -> adds.increment();
            case "DEL" -> Counter.builder("awscni_del_ip_req_count").tag("reason", reasonLabel(delReason))
                    .description("DEL requests received, by the plugin's reason").register(registry).increment();
            default -> { }
        }
    }

    /**
     * The reasons upstream's plugin sends, and ours; anything else is "other", so that a client cannot grow the
     * number of series without bound.
     */
    static String reasonLabel(String reason) {
        return switch (reason) {
            case "PodDeleted", "SetupNSFailed" -> reason;
            case "" -> "unknown";
            default -> "other";
        };
    }

    /** @param failure null when the call succeeded; {@code outcome} is "ok" or the status code */
    void answered(String verb, String outcome, RuntimeException failure, long nanos) {
        if (registry == null) {
            return;
        }
        if (failure instanceof PoolException p && p.reason() == PoolException.Reason.EXHAUSTED) {
            exhausted.increment();
        }
        Timer.builder("awscni_cni_request").tags("verb", verb, "outcome", outcome)
                .description("CNI calls served by the daemon, from the request's arrival to its answer")
                .serviceLevelObjectives(BUCKETS).register(registry).record(Duration.ofNanos(nanos));
    }
}
