package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.cloud.CloudException;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Random;

/**
 * Exponential backoff with jitter for calls that must eventually succeed (detach, delete): upstream's
 * shape (×2, ±15 %, capped), with the sleeping injected so tests never wait.
 */
public record Backoff(Duration initial, Duration max, int attempts, Sleeper sleeper, Random random) {
    /** Sleeps; tests pass one that records instead. */
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;

        Sleeper REAL = d -> Thread.sleep(d.toMillis());
    }

    public static Backoff standard(Sleeper sleeper) {
        return new Backoff(Duration.ofMillis(500), Duration.ofSeconds(60), 12, sleeper, new Random());
    }

    /** The wait before attempt {@code n} (1-based; attempt 0 does not wait). */
    Duration delay(int n) {
        var base = Math.min(max.toMillis(), initial.toMillis() * (1L << Math.min(n - 1, 20)));
        var jitter = 1 + (random.nextDouble() * 0.3 - 0.15);
        return Duration.ofMillis(Math.max(1, (long) (base * jitter)));
    }

    void pause(int attempt) throws InterruptedException {
        if (attempt > 0) {
            sleeper.sleep(delay(attempt));
        }
    }

    /** One EC2 call. */
    @FunctionalInterface
    interface CloudCall<T> {
        T run() throws CloudException;
    }

    /** A call that must not waste what came before it: retryable failures (throttling, no answer) are retried. */
    <T> T retrying(CloudCall<T> call) throws CloudException, InterruptedException {
        for (var attempt = 0; ; attempt++) {
            pause(attempt);
            try {
                return call.run();
            } catch (CloudException e) {
                if (!e.retryable() || attempt + 1 >= attempts) {
                    throw e;
                }
                LoggerFactory.getLogger(Backoff.class).debug("{} is retryable, attempt {}: {}", e.api(), attempt + 1, e.getMessage());
            }
        }
    }
}
