package io.vpccni.ipamd.schedule;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real scheduler's threading, proven with latches: each wait has a deadline only so that a broken scheduler
 * fails instead of hanging; no assertion is about how long anything took.
 */
class VirtualThreadSchedulerTest {
    private static final Duration NEVER_BY_ITSELF = Duration.ofDays(1);

    private static void await(CountDownLatch latch, String what) throws InterruptedException {
        assertTrue(latch.await(30, TimeUnit.SECONDS), what);
    }

    @Test
    void wakesWhileATaskRunsMakeExactlyOneMoreRunAndNeverAParallelOne() throws Exception {
        try (var scheduler = new VirtualThreadScheduler()) {
            var inFlight = new AtomicInteger();
            var overlapped = new AtomicBoolean();
            var firstStarted = new CountDownLatch(1);
            var releaseFirst = new CountDownLatch(1);
            var secondDone = new CountDownLatch(1);
            var marker = new AtomicBoolean();
            var markerSeen = new CountDownLatch(1);
            var runsBeforeMarker = new AtomicInteger();
            var task = scheduler.loop("coalesce", NEVER_BY_ITSELF, () -> {
                if (inFlight.incrementAndGet() > 1) {
                    overlapped.set(true);
                }
                try {
                    if (marker.get()) {
                        markerSeen.countDown();
                        return Next.whenWoken();
                    }
                    var run = runsBeforeMarker.incrementAndGet();
                    if (run == 1) {
                        firstStarted.countDown();
                        releaseFirst.await();
                    } else {
                        secondDone.countDown();
                    }
                    return Next.whenWoken();
                } finally {
                    inFlight.decrementAndGet();
                }
            });
            task.wake();
            await(firstStarted, "the first run started");
            var wakers = new ArrayList<Thread>();
            for (var i = 0; i < 8; i++) {
                wakers.add(Thread.ofPlatform().start(() -> {
                    for (var j = 0; j < 1000; j++) {
                        task.wake();
                    }
                }));
            }
            for (var waker : wakers) {
                waker.join();
            }
            releaseFirst.countDown();
            await(secondDone, "one more run for the 8000 wakes during the first");
            marker.set(true);
            task.wake();
            await(markerSeen, "a wake after the rerun runs the task again");
            assertEquals(2, runsBeforeMarker.get(), "8000 wakes during a run made one run after it, not more");
            assertFalse(overlapped.get(), "never two runs at once");
        }
    }

    @Test
    void aSlowRunDelaysNoOtherTaskNotEvenWithMoreSlowRunsThanCores() throws Exception {
        try (var scheduler = new VirtualThreadScheduler()) {
            var slow = Runtime.getRuntime().availableProcessors() * 4;
            var slowStarted = new CountDownLatch(slow);
            var releaseSlow = new CountDownLatch(1);
            var slowFinished = new CountDownLatch(slow);
            for (var i = 0; i < slow; i++) {
                scheduler.once("ec2-call-" + i, Duration.ZERO, () -> {
                    slowStarted.countDown();
                    try {
                        releaseSlow.await();  // an EC2 call that takes its time
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    slowFinished.countDown();
                });
            }
            await(slowStarted, "every slow run started");
            var healed = new CountDownLatch(1);
            var healer = scheduler.loop("healer", NEVER_BY_ITSELF, () -> {
                healed.countDown();
                return Next.after(NEVER_BY_ITSELF);
            });
            healer.wakeAfter(Duration.ofMillis(5));
            await(healed, "the healer ran while every slow run was still in progress");
            assertEquals(slow, slowFinished.getCount(), "no slow run had finished");
            releaseSlow.countDown();
            await(slowFinished, "the slow runs finish");
        }
    }

    @Test
    void cancelInterruptsTheRunInProgressWaitsForItAndNothingRunsAfter() throws Exception {
        try (var scheduler = new VirtualThreadScheduler()) {
            var started = new CountDownLatch(1);
            var interrupted = new AtomicBoolean();
            var ended = new AtomicBoolean();
            var runs = new AtomicInteger();
            var task = scheduler.loop("cancelled", Duration.ZERO, () -> {
                runs.incrementAndGet();
                started.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    interrupted.set(true);
                    throw e;
                } finally {
                    ended.set(true);
                }
                return Next.after(Duration.ZERO);
            });
            await(started, "the run started");
            task.cancel();
            assertTrue(interrupted.get(), "the run was interrupted");
            assertTrue(ended.get(), "cancel returned after the run ended");
            task.wake();
            assertEquals(1, runs.get(), "a cancelled task is not run by a wake");
        }
    }

    @Test
    void closeCancelsEveryTaskAndWaitsForTheRunsInProgress() throws Exception {
        var scheduler = new VirtualThreadScheduler();
        var started = new CountDownLatch(2);
        var ended = new AtomicInteger();
        for (var name : new String[] {"a", "b"}) {
            scheduler.loop(name, Duration.ZERO, () -> {
                started.countDown();
                try {
                    new CountDownLatch(1).await();
                } finally {
                    ended.incrementAndGet();
                }
                return Next.whenWoken();
            });
        }
        var periodic = new AtomicInteger();
        var periodicTask = scheduler.every("periodic", Duration.ofMillis(1), periodic::incrementAndGet);
        await(started, "both runs started");
        scheduler.close();
        assertEquals(2, ended.get(), "close returned after both runs ended");
        var after = periodic.get();
        periodicTask.wake();
        var late = scheduler.once("late", Duration.ZERO, periodic::incrementAndGet);
        late.wake();
        assertEquals(after, periodic.get(), "after close nothing runs, not even a task scheduled after it");
    }
}
