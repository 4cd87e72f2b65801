package io.vpccni.ipamd.k8s;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a background writer waits after consecutive failures: doubling from {@code initial} up to {@code max},
 * with ±15 % jitter so that the nodes of a cluster do not all come back at the same instant after an API server
 * outage.
 */
record RetryDelay(Duration initial, Duration max) {
    static final RetryDelay STANDARD = new RetryDelay(Duration.ofMillis(500), Duration.ofSeconds(30));

    /** The wait after the {@code failures}-th failure in a row (1-based). */
    Duration after(int failures) {
        var base = Math.min(max.toMillis(), initial.toMillis() * (1L << Math.min(Math.max(failures, 1) - 1, 20)));
        var jitter = 1 + ThreadLocalRandom.current().nextDouble(-0.15, 0.15);
        return Duration.ofMillis(Math.max(1, (long) (base * jitter)));
    }

    /** The longest wait {@link #after} can return: what a test advances its clock by. */
    Duration longest() {
        return Duration.ofMillis((long) Math.ceil(max.toMillis() * 1.15));
    }
}
