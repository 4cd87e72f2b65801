package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.cloud.CloudException;
import io.vpccni.ipamd.k8s.ClusterEvents;
import io.vpccni.ipamd.policy.PoolAction;
import io.vpccni.ipamd.policy.PoolState;
import io.vpccni.ipamd.policy.WarmPoolPolicy;
import io.vpccni.ipamd.pool.Datastore;
import io.vpccni.ipamd.pool.PoolStates;
import io.vpccni.ipamd.schedule.Next;
import io.vpccni.ipamd.schedule.Scheduler;
import io.vpccni.ipamd.schedule.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * The reconcile loop: ask the warm-pool policy for the next step and carry it out, again and again. ADD
 * never waits for it: an empty pool answers "try again later" while this loop grows it. A failing pass is
 * followed by a growing wait and logged once per distinct failure; the first pass that works resets both.
 */
public final class PoolManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PoolManager.class);
    /** After EC2 says the subnet is out of addresses, growth pauses this long (upstream: 120 s). */
    static final Duration SUBNET_EXHAUSTED_PAUSE = Duration.ofMinutes(2);

    private final WarmPoolPolicy policy;
    private final Datastore datastore;
    private final EniLifecycle lifecycle;
    private final NodeConditions conditions;
    private final Clock clock;
    private final ClusterEvents events;
    private Instant lastDecrease = Instant.EPOCH;
    private Instant growthPausedUntil = Instant.EPOCH;
    private boolean lastStepFailed;
    /** The last pass failed for a placement only an operator can fix (an ENIConfig): a change to it may end that. */
    private boolean waitingForOperator;
    /** Whether the last pass saw a free ENI slot; null before the first. Logged when it changes, not every pass. */
    private Boolean roomForEni;
    private ReconcileFailures failures = new ReconcileFailures(Duration.ofMillis(2500), new Random());
    private volatile Task task;

    /** Whether the last pass held the pool still for a cordon; logged when it changes. */
    private boolean held;
    private volatile Observer observer = Observer.NONE;

    /** Told of each action the pool takes, while it runs and how it ended (metrics). */
    public interface Observer {
        Observer NONE = new Observer() {
        };

        default void started(PoolAction action) {
        }

        /** @param failure null when the action succeeded */
        default void finished(PoolAction action, EniException failure) {
        }
    }

    public void observer(Observer observer) {
        this.observer = observer;
    }

    public PoolManager(WarmPoolPolicy policy, Datastore datastore, EniLifecycle lifecycle, int maxPods, Clock clock) {
        this(policy, datastore, lifecycle, NodeConditions.fixed(maxPods), clock, ClusterEvents.LOG);
    }

    public PoolManager(WarmPoolPolicy policy, Datastore datastore, EniLifecycle lifecycle, NodeConditions conditions,
                       Clock clock, ClusterEvents events) {
        this.events = events;
        this.policy = policy;
        this.datastore = datastore;
        this.lifecycle = lifecycle;
        this.conditions = conditions;
        this.clock = clock;
    }

    /** One decision and its execution. @return the action taken */
    public PoolAction reconcileOnce() throws InterruptedException {
        lastStepFailed = false;
        waitingForOperator = false;
        lifecycle.finishAbandonedRemovals();
        var now = clock.instant();
        var hold = conditions.holdPool();
        if (hold != held) {
            held = hold;
            log.info(hold ? "the node is cordoned (taint node.kubernetes.io/unschedulable): the pool neither grows nor "
                    + "deletes ENIs until it is uncordoned (AWS_MANAGE_ENIS_NON_SCHEDULABLE=true to manage it anyway)"
                    : "the node is no longer cordoned: the pool is managed again");
        }
        var state = PoolStates.of(datastore, conditions.maxPods(), now, lastDecrease, hold)
                .withUnpooledEnis(datastore.unpooledEnis().size());
        reportSlots(state);
        var action = policy.decide(state);
        if ((action instanceof PoolAction.AllocateEni || action instanceof PoolAction.AssignToEni) && now.isBefore(growthPausedUntil)) {
            return passed(new PoolAction.Nothing("growth paused until " + growthPausedUntil + " after the subnet ran out of addresses"));
        }
        if (action instanceof PoolAction.Nothing) {
            datastore.growthBlocked(hold ? "the node is cordoned (node.kubernetes.io/unschedulable)" : null);
            return passed(action);
        }
        log.info("pool: {} ({})", action.getClass().getSimpleName(), action.reason());
        var watcher = observer;
        watcher.started(action);
        EniException failure = null;
        try {
            lifecycle.apply(action);
            datastore.growthBlocked(null);
            if (action instanceof PoolAction.ReleaseCidrs) {
                lastDecrease = now;
            }
            return passed(action);
        } catch (EniException e) {
            failure = e;
            lastStepFailed = true;
            if (e.getCause() instanceof CloudException.SubnetExhausted) {
                growthPausedUntil = now.plus(SUBNET_EXHAUSTED_PAUSE);
            }
            var fresh = failures.failed(e);
            if (fresh && e.getCause() instanceof CloudException.MissingPermission missing) {
                events.warning("MissingIAMPermissions", "aws-node cannot manage ENIs: grant " + missing.permission()
                        + " to the node's IAM role (" + missing.getMessage() + ")");
            }
            if (fresh && e.getCause() instanceof CloudException.SubnetExhausted full) {
                events.warning("SubnetFull", "no new ENI or address for this node: " + full.getMessage());
            }
            waitingForOperator = e.getCause() instanceof PlacementException;
            if (e.getCause() instanceof PlacementException || e.getCause() instanceof CloudException.SubnetExhausted) {
                datastore.growthBlocked(e.getCause().getMessage());
            }
            if (fresh && e.getCause() instanceof PlacementException placement) {
                events.warning(placement.reason(), placement.getMessage() + "; no new ENI is created until it is fixed");
            }
            if (fresh) {
                log.warn("pool: {} (logged again only when the failure changes)", e.getMessage());
            } else {
                log.debug("pool: failed again ({} passes in a row): {}", failures.consecutive(), e.getMessage());
            }
        } finally {
            watcher.finished(action, failure);  // also when the pass is interrupted or breaks unexpectedly
        }
        return action;
    }

    private PoolAction passed(PoolAction action) {
        var failed = failures.succeeded();
        if (failed > 0) {
            log.info("pool: a pass worked again after {} failed one(s)", failed);
        }
        return action;
    }

    /** Says once, not on every pass, that the node has no slot for another ENI, and which ENIs hold the slots. */
    private void reportSlots(PoolState state) {
        var room = policy.hasRoomForEni(state);
        var before = roomForEni;
        roomForEni = room;
        if (before == null ? room : before == room) {
            return;
        }
        if (room) {
            log.info("an ENI slot is free again ({} of at most {} ENIs attached)", state.attachedEnis(), policy.limits().maxEni());
            return;
        }
        var outside = datastore.unpooledEnis().stream().map(u -> u.eniId() + " (" + u.reason() + ")")
                .collect(Collectors.joining(", "));
        // Info, not a warning: a node using all its slots is normal; what matters is that it is said once, with why.
        log.info("no free ENI slot: {} of at most {} ENIs are attached{}; the pool creates no ENI until one is free",
                state.attachedEnis(), policy.limits().maxEni(), outside.isEmpty() ? "" : ", outside the pool: " + outside);
    }

    /**
     * One pass of the loop. @return how long to wait before the next: nothing after a pass that acted, so a pod
     * burst grows the pool without waiting a whole interval per ENI; the interval after one with nothing to do; a
     * growing backoff after failed passes
     */
    Duration step(Duration interval) throws InterruptedException {
        try {
            var action = reconcileOnce();
            if (lastStepFailed) {
                return failures.nextWait();
            }
            return action instanceof PoolAction.Nothing ? interval : Duration.ZERO;
        } catch (RuntimeException e) {
            lastStepFailed = true;
            if (failures.failed(e)) {
                log.error("pool manager pass failed; retrying with backoff, logged again only when the failure changes", e);
            } else {
                log.debug("pool manager pass failed again ({} in a row): {}", failures.consecutive(), e.toString());
            }
            return failures.nextWait();
        }
    }

    /** Reconciles on {@code scheduler} until closed, the first pass at once; see {@link #step} for the waits. */
    public void start(Scheduler scheduler, Duration interval) {
        failures = new ReconcileFailures(interval, new Random());
        task = scheduler.loop("pool-manager", Duration.ZERO, () -> next(interval));
    }

    /** One pass of the loop and when the next one runs. */
    Next next(Duration interval) throws InterruptedException {
        var wait = step(interval);
        // A wake-up (an ADD) does not cut a backoff short: it would turn a persistent failure into a spin. A placement
        // failure is the exception: it costs no EC2 call, and the wake that matters is the fixed ENIConfig or Node.
        return lastStepFailed && !waitingForOperator ? Next.notBefore(wait) : Next.after(wait);
    }

    /** Asks for a reconcile now, e.g. after an ADD took an address, instead of at the next tick. */
    public void wake() {
        var t = task;
        if (t != null) {
            t.wake();
        }
    }

    @Override
    public void close() {
        var t = task;
        if (t != null) {
            t.cancel();
        }
    }
}
