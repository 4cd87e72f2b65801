package io.vpccni.ipamd.schedule;

import io.vpccni.ipamd.testing.MutableClock;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The scheduler for tests: nothing runs until the test moves the clock with {@link #advance} (or calls
 * {@link #runDue}); then each task runs when its time comes, in time order, on the test's thread. Loop tests need
 * no sleeps and see exactly the runs the clock allows. Wakes may come from any thread (an inotify watcher); the
 * timing rules are those of the real scheduler ({@link TaskState}).
 */
public final class FakeScheduler implements Scheduler {
    /** More runs than this at one instant is a task that keeps waking itself: a bug, not a test. */
    private static final int MAX_RUNS_PER_INSTANT = 10_000;

    private final MutableClock clock;
    private final Instant origin;
    private final List<TaskState> tasks = new ArrayList<>();
    private final Map<String, Integer> runs = new HashMap<>();

    public FakeScheduler() {
        this(new MutableClock(Instant.parse("2026-01-01T00:00:00Z")));
    }

    /** Shares {@code clock} with the code under test: its cooldowns and the loops' timing move together. */
    public FakeScheduler(MutableClock clock) {
        this.clock = clock;
        this.origin = clock.instant();
    }

    public MutableClock clock() {
        return clock;
    }

    private long now() {
        return Duration.between(origin, clock.instant()).toNanos();
    }

    @Override
    public synchronized Task loop(String name, Duration firstDelay, Step step) {
        var state = new TaskState(name, step, now(), firstDelay);
        tasks.add(state);
        return new Task() {
            @Override
            public void wakeAfter(Duration delay) {
                synchronized (FakeScheduler.this) {
                    state.wake(TaskState.plus(now(), delay));
                }
            }

            @Override
            public void cancel() {
                synchronized (FakeScheduler.this) {
                    state.cancel();
                }
            }
        };
    }

    /** Runs every task that is due now, and what those runs make due now. */
    public void runDue() {
        advance(Duration.ZERO);
    }

    /** Moves the clock {@code by} forward, stopping at each due time to run what is due then. */
    public void advance(Duration by) {
        var target = TaskState.plus(now(), by);
        var runsHere = 0;
        var at = now();
        while (true) {
            TaskState next;
            synchronized (this) {
                next = tasks.stream().filter(t -> !t.running() && !t.cancelled() && t.due() <= target)
                        .min((a, b) -> Long.compare(a.due(), b.due())).orElse(null);
                if (next == null) {
                    break;
                }
                var now = now();
                if (next.due() > now) {
                    clock.advance(Duration.ofNanos(next.due() - now));
                }
                if (now() != at) {
                    at = now();
                    runsHere = 0;
                }
                if (++runsHere > MAX_RUNS_PER_INSTANT) {
                    throw new IllegalStateException(next.name + " ran " + MAX_RUNS_PER_INSTANT + " times at one instant");
                }
                next.start(now());
                runs.merge(next.name, 1, Integer::sum);
            }
            var result = next.runStep();
            synchronized (this) {
                next.finish(now(), result);
            }
        }
        var now = now();
        if (target > now) {
            clock.advance(Duration.ofNanos(target - now));
        }
    }

    /** How long until the task named {@code name} runs; empty when only a wake would run it (or it is running). */
    public synchronized Optional<Duration> dueIn(String name) {
        var task = find(name);
        return task.due() == TaskState.NEVER ? Optional.empty() : Optional.of(Duration.ofNanos(Math.max(0, task.due() - now())));
    }

    /** How many runs of {@code name} have started. */
    public synchronized int runs(String name) {
        find(name);
        return runs.getOrDefault(name, 0);
    }

    public synchronized boolean cancelled(String name) {
        return find(name).cancelled();
    }

    private TaskState find(String name) {
        return tasks.stream().filter(t -> t.name.equals(name)).reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalArgumentException("no task " + name + " was scheduled; there are "
                        + tasks.stream().map(t -> t.name).toList()));
    }

    @Override
    public synchronized void close() {
        tasks.forEach(TaskState::cancel);
    }
}
