package io.vpccni.ipamd.schedule;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The timing of one task, the same in the real scheduler and the fake: when it is next due, whether it runs, the
 * wakes it still owes, what its last run asked for. Times are nanoseconds on the owner's monotonic axis. Not
 * thread-safe: the owner calls it under one lock per task, and never holds that lock while the step runs.
 */
final class TaskState {
    private static final Logger log = LoggerFactory.getLogger(TaskState.class);
    static final long NEVER = Long.MAX_VALUE;

    final String name;
    private final Step step;
    private long due;
    /** Wakes before this wait for it (a backoff). */
    private long heldUntil = Long.MIN_VALUE;
    /** The earliest wake that came while the task ran: it owes one more run. */
    private long wokenWhileRunning = NEVER;
    private boolean running;
    private boolean cancelled;
    /** What the last completed run asked for; the fallback when a step throws. */
    private Next last = Next.whenWoken();

    TaskState(String name, Step step, long now, Duration firstDelay) {
        this.name = name;
        this.step = step;
        this.due = plus(now, firstDelay);
    }

    /** A wake asking for a run at {@code at}. @return the new due time if it moved earlier (arm a timer), else {@link #NEVER} */
    long wake(long at) {
        if (cancelled) {
            return NEVER;
        }
        if (running) {
            wokenWhileRunning = Math.min(wokenWhileRunning, at);
            return NEVER;
        }
        var when = Math.max(at, heldUntil);
        if (when >= due) {
            return NEVER;
        }
        due = when;
        return due;
    }

    /** @return whether the task starts a run now: it is due, idle and not cancelled; it then counts as running */
    boolean start(long now) {
        if (cancelled || running || due > now) {
            return false;
        }
        running = true;
        due = NEVER;
        return true;
    }

    /**
     * Runs the step, outside the owner's lock. @return what it asked for; after a failure, what the previous run
     * asked for
     */
    Next runStep() {
        try {
            return step.run();
        } catch (InterruptedException e) {
            log.debug("{}: interrupted (cancelled)", name);
        } catch (Exception | Error e) {
            log.error("{}: a pass failed unexpectedly; the loop goes on as its last pass asked", name, e);
        }
        return null;
    }

    /** The run ended with {@code next} (null: it failed). @return when the task is due next, {@link #NEVER} for a wake only */
    long finish(long now, Next next) {
        running = false;
        if (cancelled) {
            return NEVER;
        }
        if (next != null) {
            last = next;
        }
        var delay = last.delay();
        heldUntil = last.holdsWakes() ? plus(now, delay) : Long.MIN_VALUE;
        due = delay == null ? NEVER : plus(now, delay);
        if (wokenWhileRunning != NEVER) {
            due = Math.min(due, Math.max(wokenWhileRunning, heldUntil));
            wokenWhileRunning = NEVER;
        }
        return due;
    }

    /** @return whether a run is in progress (the owner interrupts and awaits it) */
    boolean cancel() {
        cancelled = true;
        due = NEVER;
        return running;
    }

    boolean cancelled() {
        return cancelled;
    }

    boolean running() {
        return running;
    }

    long due() {
        return due;
    }

    static long plus(long now, Duration delay) {
        long nanos;
        try {
            nanos = delay.toNanos();
        } catch (ArithmeticException e) {
            return NEVER;
        }
        var sum = now + nanos;
        return ((now ^ sum) & (nanos ^ sum)) < 0 ? NEVER : sum;  // overflow: as good as never
    }
}
