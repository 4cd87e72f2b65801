package io.vpccni.ipamd.schedule;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static io.vpccni.ipamd.schedule.TaskState.NEVER;

/**
 * The real scheduler: one platform thread keeps time, and each run that comes due starts on a virtual thread of
 * its own.
 *
 * <p>Why a thread per run rather than running passes on the timer thread or a fixed pool: the loops differ by
 * orders of magnitude. A reconcile or a leak sweep can spend seconds in EC2 calls and the host-network pass in
 * iptables-restore, while the healer must put flushed rules back within milliseconds of the netlink event. A run
 * never waits for another task's run, so a slow one cannot delay the healer, and there is no pool to size or to
 * exhaust. Virtual threads make that free of idle threads: a waiting loop is an entry in the timer's queue, not a
 * sleeping thread. The passes call jnr-ffi (rtnetlink) from their virtual threads; a native call pins the carrier
 * for as long as it runs, which for a netlink request the kernel answers at once is microseconds, so that is
 * accepted here. What blocks in the kernel indefinitely keeps a platform thread of its own outside this scheduler:
 * the netlink monitors' receive loops and the link reaper.
 *
 * <p>A wake that makes a task due now starts its run on the caller's thread at once (no hop through the timer),
 * so the healer's latency is the debounce and nothing else.
 */
public final class VirtualThreadScheduler implements Scheduler {
    private static final Logger log = LoggerFactory.getLogger(VirtualThreadScheduler.class);
    /** How long cancelling waits for a run in progress, after interrupting it, before it gives up and goes on. */
    static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private final ScheduledThreadPoolExecutor timer;
    private final Set<Loop> loops = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public VirtualThreadScheduler() {
        timer = new ScheduledThreadPoolExecutor(1, r -> Thread.ofPlatform().daemon().name("scheduler").unstarted(r));
        timer.setRemoveOnCancelPolicy(true);  // a re-armed task leaves no stale entry in the queue
    }

    @Override
    public Task loop(String name, Duration firstDelay, Step step) {
        var loop = new Loop(new TaskState(name, step, System.nanoTime(), firstDelay));
        loops.add(loop);
        if (closed) {
            loop.cancel();
        } else {
            loop.start();
        }
        return loop;
    }

    @Override
    public void close() {
        closed = true;
        var all = List.copyOf(loops);
        all.forEach(Loop::stop);
        timer.shutdownNow();
        var deadline = System.nanoTime() + STOP_WAIT.toNanos();
        for (var loop : all) {
            if (!loop.awaitIdle(deadline)) {
                log.warn("{}: still running {} s after it was interrupted at stop; not waiting for it", loop.state.name,
                        STOP_WAIT.toSeconds());
            }
        }
    }

    private final class Loop implements Task {
        private final TaskState state;
        private ScheduledFuture<?> timerEntry;
        private long armedFor = NEVER;
        private Thread runner;

        Loop(TaskState state) {
            this.state = state;
        }

        synchronized void start() {
            arm(state.due());
        }

        /** Makes sure the task runs at {@code due}: at once if it is due, else by the timer. Under the lock. */
        private void arm(long due) {
            if (due == NEVER || (due == armedFor && timerEntry != null)) {
                return;
            }
            disarm();
            var now = System.nanoTime();
            if (due <= now) {
                launch(now);
                return;
            }
            try {
                timerEntry = timer.schedule(() -> fire(due), due - now, TimeUnit.NANOSECONDS);
                armedFor = due;
            } catch (RejectedExecutionException e) {
                // The scheduler is closing: the task is cancelled with it.
            }
        }

        private void disarm() {
            if (timerEntry != null) {
                timerEntry.cancel(false);
                timerEntry = null;
                armedFor = NEVER;
            }
        }

        private synchronized void fire(long due) {
            if (due == armedFor) {
                timerEntry = null;
                armedFor = NEVER;
            }
            var now = System.nanoTime();
            if (!launch(now) && !state.running()) {
                arm(state.due());  // an entry that was replaced fired anyway: keep the real one armed
            }
        }

        private boolean launch(long now) {
            if (!state.start(now)) {
                return false;
            }
            runner = Thread.ofVirtual().name("loop-" + state.name).unstarted(this::run);
            runner.start();
            return true;
        }

        private void run() {
            var next = state.runStep();
            synchronized (this) {
                runner = null;
                arm(state.finish(System.nanoTime(), next));
                notifyAll();
            }
        }

        @Override
        public synchronized void wakeAfter(Duration delay) {
            arm(state.wake(TaskState.plus(System.nanoTime(), delay)));
        }

        @Override
        public void cancel() {
            var running = stop();
            if (running != null && running != Thread.currentThread()
                    && !awaitIdle(System.nanoTime() + STOP_WAIT.toNanos())) {
                log.warn("{}: still running {} s after it was cancelled; not waiting for it", state.name, STOP_WAIT.toSeconds());
            }
        }

        /** Cancels without waiting. @return the thread of the run in progress, interrupted, or null */
        private Thread stop() {
            Thread running;
            synchronized (this) {
                state.cancel();
                disarm();
                running = runner;
            }
            loops.remove(this);
            if (running != null) {
                running.interrupt();
            }
            return running;
        }

        synchronized boolean awaitIdle(long deadline) {
            var interrupted = false;
            try {
                while (state.running()) {
                    var left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    try {
                        TimeUnit.NANOSECONDS.timedWait(this, left);
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                return true;
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
