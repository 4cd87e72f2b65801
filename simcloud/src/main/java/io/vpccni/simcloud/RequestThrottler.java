package io.vpccni.simcloud;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One account's token buckets, one per action, on an injectable clock so refill is testable without sleeping. */
public final class RequestThrottler {
    private final InstantSource clock;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private volatile ThrottlePolicy policy;

    public RequestThrottler(ThrottlePolicy policy, InstantSource clock) {
        this.policy = policy;
        this.clock = clock;
    }

    /** Replaces the policy; buckets restart full. */
    public void policy(ThrottlePolicy policy) {
        this.policy = policy;
        buckets.clear();
    }

    public ThrottlePolicy policy() {
        return policy;
    }

    /** Takes one token for the key; false means the call is throttled. */
    public boolean tryAcquire(String bucketKey) {
        var bucket = buckets.computeIfAbsent(bucketKey, k -> new TokenBucket(policy.bucketFor(k), clock.instant()));
        return bucket.tryTake(clock.instant());
    }

    private static final class TokenBucket {
        private final ThrottlePolicy.Bucket spec;
        private double tokens;
        private Instant last;

        TokenBucket(ThrottlePolicy.Bucket spec, Instant now) {
            this.spec = spec;
            this.tokens = spec.capacity();
            this.last = now;
        }

        synchronized boolean tryTake(Instant now) {
            if (now.isAfter(last)) {
                double seconds = Duration.between(last, now).toNanos() / 1e9;
                tokens = Math.min(spec.capacity(), tokens + seconds * spec.refillPerSecond());
                last = now;
            }
            if (tokens < 1) return false;
            tokens -= 1;
            return true;
        }
    }
}
