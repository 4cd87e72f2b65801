package io.vpccni.ipamd.schedule;

import io.vpccni.ipamd.testing.CapturedLogs;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The timing rules every scheduler follows ({@link TaskState}, shared by the real one and the fake), shown on the
 * fake's clock: when a task runs, how wakes coalesce, debounce and are held back, what a failing step does.
 */
class TaskTimingTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    private final FakeScheduler scheduler = new FakeScheduler();

    @Test
    void everyRunsAtEachIntervalAndNotBefore() {
        var runs = new AtomicInteger();
        scheduler.every("tick", Duration.ofSeconds(30), runs::incrementAndGet);
        scheduler.advance(Duration.ofSeconds(29));
        assertEquals(0, runs.get());
        scheduler.advance(SECOND);
        assertEquals(1, runs.get());
        scheduler.advance(Duration.ofSeconds(90));
        assertEquals(4, runs.get());
    }

    @Test
    void wakesWhileWaitingMakeOneRunAndTheIntervalStartsOverAfterIt() {
        var runs = new AtomicInteger();
        var task = scheduler.every("tick", Duration.ofSeconds(30), runs::incrementAndGet);
        scheduler.advance(Duration.ofSeconds(10));
        for (var i = 0; i < 5; i++) {
            task.wake();
        }
        scheduler.runDue();
        assertEquals(1, runs.get(), "five wakes, one run");
        assertEquals(Optional.of(Duration.ofSeconds(30)), scheduler.dueIn("tick"));
    }

    @Test
    void aWakeWhileRunningRunsTheTaskOnceMoreAfterwards() {
        var runs = new AtomicInteger();
        var task = new AtomicReference<Task>();
        task.set(scheduler.loop("self-waking", Duration.ZERO, () -> {
            if (runs.incrementAndGet() == 1) {
                task.get().wake();
                task.get().wake();
            }
            return Next.whenWoken();
        }));
        scheduler.runDue();
        assertEquals(2, runs.get(), "the first run, and one more for the wakes during it");
        assertEquals(Optional.empty(), scheduler.dueIn("self-waking"));
    }

    @Test
    void aDebouncedWakeRunsOnceAfterTheFirstEventOfABurst() {
        var runs = new AtomicInteger();
        var task = scheduler.loop("healer", Duration.ofSeconds(30), () -> {
            runs.incrementAndGet();
            return Next.after(Duration.ofSeconds(30));
        });
        var debounce = Duration.ofMillis(5);
        task.wakeAfter(debounce);
        scheduler.advance(Duration.ofMillis(3));
        task.wakeAfter(debounce);  // later events of the burst do not push the run back
        scheduler.advance(Duration.ofMillis(1));
        assertEquals(0, runs.get());
        scheduler.advance(Duration.ofMillis(1));
        assertEquals(1, runs.get(), "5 ms after the first event");
        scheduler.advance(Duration.ofMillis(100));
        assertEquals(1, runs.get());
    }

    @Test
    void aHeldNextFoldsWakesIntoTheRunAtItsEnd() {
        var at = new ArrayList<Duration>();
        var start = scheduler.clock().instant();
        var task = scheduler.loop("backoff", Duration.ZERO, () -> {
            at.add(Duration.between(start, scheduler.clock().instant()));
            return Next.notBefore(Duration.ofSeconds(10));
        });
        scheduler.runDue();
        task.wake();
        scheduler.advance(Duration.ofSeconds(9));
        task.wake();
        scheduler.advance(SECOND);
        assertEquals(List.of(Duration.ZERO, Duration.ofSeconds(10)), at, "no run before the hold is over, one at its end");
    }

    @Test
    void aWakeCutsAnAfterShort() {
        var runs = new AtomicInteger();
        var task = scheduler.loop("pool", Duration.ZERO, () -> {
            runs.incrementAndGet();
            return Next.after(Duration.ofSeconds(10));
        });
        scheduler.runDue();
        scheduler.advance(SECOND);
        task.wake();
        scheduler.runDue();
        assertEquals(2, runs.get());
    }

    @Test
    void aStepThatThrowsIsLoggedAndRunsAgainAsItsLastRunAsked() {
        var runs = new AtomicInteger();
        scheduler.loop("flaky", Duration.ZERO, () -> {
            if (runs.incrementAndGet() == 2) {
                throw new IllegalStateException("boom");
            }
            return Next.after(Duration.ofSeconds(10));
        });
        try (var logs = new CapturedLogs(TaskState.class)) {
            scheduler.runDue();
            scheduler.advance(Duration.ofSeconds(10));
            assertEquals(2, runs.get());
            assertEquals(1, logs.count("flaky: a pass failed unexpectedly"), logs.messages().toString());
        }
        scheduler.advance(Duration.ofSeconds(10));
        assertEquals(3, runs.get(), "the loop goes on");
    }

    @Test
    void aCancelledTaskNeverRunsAgainAndCloseCancelsEveryTask() {
        var runs = new AtomicInteger();
        var task = scheduler.every("a", SECOND, runs::incrementAndGet);
        scheduler.every("b", SECOND, runs::incrementAndGet);
        scheduler.advance(SECOND);
        assertEquals(2, runs.get());
        task.cancel();
        task.wake();
        scheduler.advance(SECOND);
        assertEquals(3, runs.get(), "only b");
        scheduler.close();
        scheduler.advance(Duration.ofHours(1));
        assertEquals(3, runs.get());
        assertTrue(scheduler.cancelled("b"));
    }

    @Test
    void aTaskThatKeepsWakingItselfAtOneInstantIsABugTheFakeReports() {
        var task = new AtomicReference<Task>();
        task.set(scheduler.loop("spin", Duration.ZERO, () -> {
            task.get().wake();
            return Next.whenWoken();
        }));
        assertThrows(IllegalStateException.class, scheduler::runDue);
    }
}
