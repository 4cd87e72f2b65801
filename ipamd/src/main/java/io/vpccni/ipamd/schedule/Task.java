package io.vpccni.ipamd.schedule;

import java.time.Duration;

/** The handle of one scheduled loop. A task never runs concurrently with itself. */
public interface Task {
    /**
     * Asks for a run now. Coalescing: any number of wakes while the task waits make one run; wakes while it runs
     * make exactly one more run after it. A step that returned {@link Next#notBefore} holds wakes until then.
     */
    default void wake() {
        wakeAfter(Duration.ZERO);
    }

    /**
     * Asks for a run {@code delay} from now, unless one is due sooner: a debounce, so a burst of events (a flush
     * removing a hundred rules) is handled by one run that starts {@code delay} after the first of them.
     */
    void wakeAfter(Duration delay);

    /**
     * No more runs. A run in progress is interrupted and, unless this is called from that run, awaited for a
     * bounded time, so what it uses can be closed after this returns.
     */
    void cancel();
}
