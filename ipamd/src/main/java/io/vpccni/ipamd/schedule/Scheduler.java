package io.vpccni.ipamd.schedule;

import java.time.Duration;

/**
 * Runs the daemon's background loops. One instance per daemon, made by the composition root and closed at stop;
 * closing it cancels every task.
 */
public interface Scheduler extends AutoCloseable {
    /**
     * Schedules {@code step} to run first after {@code firstDelay}, then as each run's {@link Next} says.
     *
     * @param name what the loop is, in logs and thread names
     */
    Task loop(String name, Duration firstDelay, Step step);

    /** Runs {@code pass} every {@code interval}, the first after one interval; a wake runs it sooner. */
    default Task every(String name, Duration interval, Runnable pass) {
        return loop(name, interval, () -> {
            pass.run();
            return Next.after(interval);
        });
    }

    /** Runs {@code pass} once after {@code delay}, and again only when woken. */
    default Task once(String name, Duration delay, Runnable pass) {
        return loop(name, delay, () -> {
            pass.run();
            return Next.whenWoken();
        });
    }

    /** Cancels every task, interrupting those running, and waits a bounded time for them to end. */
    @Override
    void close();
}
