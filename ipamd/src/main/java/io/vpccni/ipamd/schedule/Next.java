package io.vpccni.ipamd.schedule;

import java.time.Duration;
import java.util.Objects;

/**
 * When a task wants its next run, as its step returns it.
 *
 * @param delay from the end of this run; null: only when woken
 * @param holdsWakes whether a wake before {@code delay} has passed waits for it (a backoff that an ADD must not
 *                   cut short) instead of running the task at once
 */
public record Next(Duration delay, boolean holdsWakes) {
    public Next {
        if (delay != null && delay.isNegative()) {
            throw new IllegalArgumentException("a task cannot ask to run " + delay + " ago");
        }
        if (delay == null && holdsWakes) {
            throw new IllegalArgumentException("a task that runs only when woken cannot hold back wakes");
        }
    }

    /** Again after {@code delay}, or sooner when woken. */
    public static Next after(Duration delay) {
        return new Next(Objects.requireNonNull(delay), false);
    }

    /** Again after {@code delay} and not before: wakes meanwhile are folded into that run. */
    public static Next notBefore(Duration delay) {
        return new Next(Objects.requireNonNull(delay), true);
    }

    /** Again only when woken. */
    public static Next whenWoken() {
        return new Next(null, false);
    }
}
