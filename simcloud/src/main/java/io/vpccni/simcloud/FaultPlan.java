package io.vpccni.simcloud;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Faults injected into one account's API calls, by action name ({@code "*"} matches every action):
 * added latency on every call, the next N calls failing with a given code, the next N calls hanging.
 */
public final class FaultPlan {
    public static final String ANY_ACTION = "*";

    private record Countdown<T>(T what, int remaining) {}

    private final Map<String, Duration> latency = new ConcurrentHashMap<>();
    private final Map<String, Countdown<Ec2Error>> errors = new ConcurrentHashMap<>();
    private final Map<String, Countdown<Duration>> hangs = new ConcurrentHashMap<>();
    private volatile double throttledFraction;
    private final java.util.Random random = new java.util.Random(7);

    public FaultPlan latency(String action, Duration delay) {
        latency.put(action, delay);
        return this;
    }

    /** The next {@code times} calls of {@code action} fail with {@code code} (HTTP 503 for throttling/unavailable codes). */
    public FaultPlan failNext(String action, String code, int times) {
        int status = code.equals("RequestLimitExceeded") || code.equals("Unavailable") ? 503
                : code.equals("InternalError") ? 500 : 400;
        return failNext(action, new Ec2Error(code, "Injected by the simulator's fault plan for " + action + ".", status), times);
    }

    public FaultPlan failNext(String action, Ec2Error error, int times) {
        errors.put(action, new Countdown<>(error, times));
        return this;
    }

    /** The next {@code times} calls of {@code action} stall for {@code duration} before being served. */
    public FaultPlan hangNext(String action, Duration duration, int times) {
        hangs.put(action, new Countdown<>(duration, times));
        return this;
    }

    /** Every call, of any action, is throttled (RequestLimitExceeded) with this probability, on top of the buckets. */
    public FaultPlan throttleFraction(double fraction) {
        throttledFraction = fraction;
        return this;
    }

    public void clear() {
        throttledFraction = 0;
        latency.clear();
        errors.clear();
        hangs.clear();
    }

    Duration latencyFor(String action) {
        return Optional.ofNullable(latency.get(action)).or(() -> Optional.ofNullable(latency.get(ANY_ACTION))).orElse(Duration.ZERO);
    }

    Optional<Ec2Error> takeError(String action) {
        var injected = take(errors, action).or(() -> take(errors, ANY_ACTION));
        if (injected.isEmpty() && throttledFraction > 0) {
            synchronized (random) {
                if (random.nextDouble() < throttledFraction) {
                    return Optional.of(new Ec2Error("RequestLimitExceeded", "Request limit exceeded (injected).", 503));
                }
            }
        }
        return injected;
    }

    Optional<Duration> takeHang(String action) {
        return take(hangs, action).or(() -> take(hangs, ANY_ACTION));
    }

    private static <T> Optional<T> take(Map<String, Countdown<T>> map, String key) {
        var taken = new Object() { T value; };
        map.computeIfPresent(key, (k, c) -> {
            taken.value = c.what();
            return c.remaining() > 1 ? new Countdown<>(c.what(), c.remaining() - 1) : null;
        });
        return Optional.ofNullable(taken.value);
    }
}
