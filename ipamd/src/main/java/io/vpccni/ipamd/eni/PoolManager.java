package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.cloud.CloudException;
import io.vpccni.ipamd.k8s.ClusterEvents;
import io.vpccni.ipamd.policy.PoolAction;
import io.vpccni.ipamd.policy.WarmPoolPolicy;
import io.vpccni.ipamd.pool.Datastore;
import io.vpccni.ipamd.pool.PoolStates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The reconcile loop: ask the warm-pool policy for the next step and carry it out, again and again. ADD
 * never waits for it: an empty pool answers "try again later" while this loop grows it.
 */
public final class PoolManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PoolManager.class);
    /** After EC2 says the subnet is out of addresses, growth pauses this long (upstream: 120 s). */
    static final Duration SUBNET_EXHAUSTED_PAUSE = Duration.ofMinutes(2);

    private final WarmPoolPolicy policy;
    private final Datastore datastore;
    private final EniLifecycle lifecycle;
    private final int maxPods;
    private final Clock clock;
    private final ClusterEvents events;
    private Instant lastDecrease = Instant.EPOCH;
    private Instant growthPausedUntil = Instant.EPOCH;
    private volatile boolean running = true;
    private boolean lastStepFailed;
    private final java.util.concurrent.Semaphore wakeups = new java.util.concurrent.Semaphore(0);
    private Thread thread;

    public PoolManager(WarmPoolPolicy policy, Datastore datastore, EniLifecycle lifecycle, int maxPods, Clock clock) {
        this(policy, datastore, lifecycle, maxPods, clock, ClusterEvents.LOG);
    }

    public PoolManager(WarmPoolPolicy policy, Datastore datastore, EniLifecycle lifecycle, int maxPods, Clock clock,
                       ClusterEvents events) {
        this.events = events;
        this.policy = policy;
        this.datastore = datastore;
        this.lifecycle = lifecycle;
        this.maxPods = maxPods;
        this.clock = clock;
    }

    /** One decision and its execution. @return the action taken */
    public PoolAction reconcileOnce() throws InterruptedException {
        var now = clock.instant();
        var action = policy.decide(PoolStates.of(datastore, maxPods, now, lastDecrease, false));
        if ((action instanceof PoolAction.AllocateEni || action instanceof PoolAction.AssignToEni) && now.isBefore(growthPausedUntil)) {
            return new PoolAction.Nothing("growth paused until " + growthPausedUntil + " after the subnet ran out of addresses");
        }
        if (action instanceof PoolAction.Nothing) {
            return action;
        }
        log.info("pool: {} ({})", action.getClass().getSimpleName(), action.reason());
        lastStepFailed = true;
        try {
            lifecycle.apply(action);
            lastStepFailed = false;
            if (action instanceof PoolAction.ReleaseCidrs) {
                lastDecrease = now;
            }
        } catch (EniException e) {
            if (e.getCause() instanceof CloudException.SubnetExhausted) {
                growthPausedUntil = now.plus(SUBNET_EXHAUSTED_PAUSE);
            }
            if (e.getCause() instanceof CloudException.MissingPermission missing) {
                events.warning("MissingIAMPermissions", "aws-node cannot manage ENIs: grant " + missing.permission()
                        + " to the node's IAM role (" + missing.getMessage() + ")");
            }
            log.warn("pool: {}", e.getMessage());
        }
        return action;
    }

    /**
     * Reconciles every {@code interval} on a thread of its own until closed; a step that succeeded in acting is
     * followed at once by the next, so a pod burst grows the pool without waiting a whole interval per ENI.
     */
    public void start(Duration interval) {
        thread = Thread.ofPlatform().daemon().name("pool-manager").start(() -> {
            while (running) {
                try {
                    var action = reconcileOnce();
                    if (action instanceof PoolAction.Nothing || lastStepFailed) {
                        wakeups.tryAcquire(interval.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                        wakeups.drainPermits();
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    log.error("pool manager step failed", e);
                }
            }
        });
    }

    /** Asks for a reconcile now, e.g. after an ADD took an address, instead of at the next tick. */
    public void wake() {
        wakeups.release();
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
