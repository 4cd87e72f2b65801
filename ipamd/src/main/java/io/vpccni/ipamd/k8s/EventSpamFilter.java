package io.vpccni.ipamd.k8s;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per (involved object, reason), as client-go's event spam filter keeps one: a loop that fails
 * every second gets its first {@code burst} events out, then one per {@code refill}. Without it a node whose IAM
 * role lost a permission would post thousands of identical Events an hour, which the API server stores in etcd.
 * Time comes from the injected clock, so a test moves it instead of waiting.
 */
final class EventSpamFilter {
    static final int BURST = 25;
    static final Duration REFILL = Duration.ofMinutes(5);
    /** Buckets kept; the least recently used goes first (a full bucket is what a new one would be anyway). */
    private static final int MAX_BUCKETS = 4096;

    private final Clock clock;
    private final int burst;
    private final Duration refill;
    private final Map<String, Bucket> buckets = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > MAX_BUCKETS;
        }
    };

    EventSpamFilter(Clock clock) {
        this(clock, BURST, REFILL);
    }

    EventSpamFilter(Clock clock, int burst, Duration refill) {
        this.clock = clock;
        this.burst = burst;
        this.refill = refill;
    }

    /** Takes a token for one event on {@code object} with {@code reason}; false means drop it. */
    synchronized boolean allow(String object, String reason) {
        var now = clock.instant();
        var bucket = buckets.computeIfAbsent(object + "\u0000" + reason, k -> new Bucket(burst, now));
        bucket.refillTo(now);
        if (bucket.tokens == 0) {
            return false;
        }
        bucket.tokens--;
        return true;
    }

    private final class Bucket {
        int tokens;
        /** When the next token falls due counts from here (whole refills only, so no time is lost to rounding). */
        Instant since;

        Bucket(int tokens, Instant since) {
            this.tokens = tokens;
            this.since = since;
        }

        void refillTo(Instant now) {
            if (tokens >= burst) {
                since = now;
                return;
            }
            var elapsed = Duration.between(since, now);
            if (elapsed.isNegative()) {
                since = now;  // the clock stepped back: start counting again rather than never refilling
                return;
            }
            var earned = elapsed.dividedBy(refill);
            if (earned > 0) {
                tokens = (int) Math.min(burst, tokens + earned);
                since = tokens >= burst ? now : since.plus(refill.multipliedBy(earned));
            }
        }
    }
}
