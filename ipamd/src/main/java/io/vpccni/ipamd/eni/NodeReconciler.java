package io.vpccni.ipamd.eni;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vpccni.ipamd.cloud.CloudException;
import io.vpccni.ipamd.cloud.Ec2Api;
import io.vpccni.ipamd.cloud.InstanceMetadata;
import io.vpccni.ipamd.cloud.MetadataException;
import io.vpccni.ipamd.eni.ReconcilePlan.NodeEni;
import io.vpccni.ipamd.eni.ReconcilePlan.PoolView;
import io.vpccni.ipamd.eni.ReconcilePlan.PooledEni;
import io.vpccni.ipamd.k8s.ClusterEvents;
import io.vpccni.ipamd.pool.Datastore;
import io.vpccni.ipamd.schedule.Next;
import io.vpccni.ipamd.schedule.Scheduler;
import io.vpccni.ipamd.schedule.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Keeps the pool in step with EC2 after start-up: an operator or another tool may assign or unassign addresses and
 * prefixes, or attach and detach ENIs, behind the daemon's back, and the pool must never hand out an address EC2 no
 * longer gives the node. Each pass reads IMDS (local, no EC2 call); only when it differs from the pool is EC2 asked,
 * once, for the ENIs attached to the instance, and EC2's answer decides: IMDS lags behind EC2, so nothing is taken
 * out of the pool on its word alone. What the daemon changed itself lately is left alone
 * ({@link Datastore#RECONCILE_COOLDOWN}), whichever of the two still shows the old state.
 */
public final class NodeReconciler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeReconciler.class);
    /** Upstream reconciles about once a minute; a pass that finds IMDS in step costs no EC2 call. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);
    /**
     * How {@link AttachmentSlots} records an ENI it finds attached before anyone judged it: the reconcile still has to
     * ask EC2 whether pods may use it.
     */
    static final String UNJUDGED = "it was attached by someone else";

    private final Datastore datastore;
    private final InstanceMetadata imds;
    private final Ec2Api ec2;
    private final String instanceId;
    private final PoolCorrection correction;
    private final Counter failedPasses;
    private final AtomicInteger inProgress;
    private final Clock clock;
    private ReconcileFailures failures = new ReconcileFailures(DEFAULT_INTERVAL, new Random());
    private volatile Runnable onChange = () -> { };
    private volatile Task task;

    /**
     * @param newEnis  wires the host side of ENIs found attached (or detached) by someone else
     * @param events   a Warning for each pod whose address EC2 took away, Normal ones for what else changed
     * @param registry where {@code awscni_reconcile_count}, {@code awscni_force_removed_ips} and
     *                 {@code awscni_force_removed_enis} count what the reconcile fixed
     */
    public NodeReconciler(Datastore datastore, InstanceMetadata imds, Ec2Api ec2, String instanceId, NewEniHandler newEnis,
                          ClusterEvents events, MeterRegistry registry, Clock clock) {
        this.datastore = datastore;
        this.imds = imds;
        this.ec2 = ec2;
        this.instanceId = instanceId;
        this.clock = clock;
        this.correction = new PoolCorrection(datastore, imds, newEnis, events, registry, clock);
        this.failedPasses = Counter.builder("awscni_ipamd_error_count").tag("fn", "reconcileFailedGetENIs")
                .description("errors in the daemon's pool work, by function").register(registry);
        this.inProgress = new AtomicInteger();
        Gauge.builder("awscni_ipamd_action_inprogress", inProgress, AtomicInteger::get).tag("fn", "nodeIPPoolReconcile")
                .description("the daemon's pool actions in progress, by function").register(registry);
    }

    /** Called after a pass that changed the pool, e.g. to let the warm pool replace addresses that went away. */
    public void onChange(Runnable listener) {
        this.onChange = listener;
    }

    /** One pass. Never throws for IMDS or EC2 failing: the report says why nothing was done, and the next pass tries again. */
    public ReconcileReport reconcileOnce() throws InterruptedException {
        var started = clock.instant();
        var ec2Calls = 0;
        inProgress.incrementAndGet();
        try {
            var pool = poolView();
            var inMetadata = AttachedEnis.fromMetadata(imds, pooledIds(pool));
            if (ReconcilePlan.between(pool, inMetadata).isEmpty()) {
                return passed(started, 0, ReconcileReport.Changes.NONE);
            }
            // Read again just before EC2 is: whatever is in the pool then was there before EC2 answered, so an address the
            // pool manager adds meanwhile cannot look like one EC2 took away.
            pool = poolView();
            ec2Calls++;
            var plan = ReconcilePlan.between(pool, AttachedEnis.fromEc2(ec2, instanceId, ids(inMetadata)));
            if (plan.ignored().isPresent()) {
                throw new IllegalStateException("EC2's list of the ENIs attached to " + instanceId + " was not used: "
                        + plan.ignored().get());
            }
            var changes = correction.apply(plan);
            if (changes.any()) {
                onChange.run();
            }
            return passed(started, ec2Calls, changes);
        } catch (MetadataException | CloudException | RuntimeException e) {
            failedPasses.increment();
            if (failures.failed(e)) {
                log.warn("node reconcile: {} (logged again only when the failure changes)", e.getMessage());
            } else {
                log.debug("node reconcile failed again ({} passes in a row): {}", failures.consecutive(), e.getMessage());
            }
            return new ReconcileReport(started, Duration.between(started, clock.instant()), ec2Calls,
                    ReconcileReport.Changes.NONE, Optional.of(e.getMessage()));
        } finally {
            inProgress.decrementAndGet();
        }
    }

    private ReconcileReport passed(Instant started, int ec2Calls, ReconcileReport.Changes changes) {
        var failed = failures.succeeded();
        var report = new ReconcileReport(started, Duration.between(started, clock.instant()), ec2Calls, changes, Optional.empty());
        if (changes.any() || failed > 0) {
            log.info("node reconcile: in step with EC2 after {} ms ({} EC2 call(s)): {} CIDR(s) added, {} removed, {} ENI(s) "
                            + "joined, {} dropped, {} left alone, {} pod(s) lost their address{}", report.took().toMillis(), ec2Calls,
                    changes.added().size(), changes.dropped().size(), changes.enisJoined().size(), changes.enisDropped().size(),
                    changes.enisLeftAlone().size(), changes.podsLost().size(),
                    failed > 0 ? "; it had failed " + failed + " time(s) before" : "");
        }
        return report;
    }

    private PoolView poolView() {
        var enis = datastore.usage().stream().map(u -> new PooledEni(u.info(), Set.copyOf(u.cidrs()))).toList();
        var keptOut = datastore.unpooledEnis().stream().filter(u -> !u.reason().startsWith(UNJUDGED))
                .map(Datastore.UnpooledEni::eniId).collect(Collectors.toSet());
        return new PoolView(enis, keptOut, datastore.allocations(null), datastore.ownChanges());
    }

    private static Set<String> pooledIds(PoolView pool) {
        return pool.enis().stream().map(e -> e.info().eniId()).collect(Collectors.toSet());
    }

    private static Set<String> ids(List<NodeEni> enis) {
        return enis.stream().map(NodeEni::eniId).collect(Collectors.toSet());
    }

    /** Reconciles every {@code interval} on {@code scheduler} until closed, the first pass one interval after start. */
    public void start(Scheduler scheduler, Duration interval) {
        failures = new ReconcileFailures(interval, new Random());
        task = scheduler.loop("node-reconcile", interval, () -> {
            reconcileOnce();
            return Next.after(interval);
        });
    }

    @Override
    public void close() {
        var t = task;
        if (t != null) {
            t.cancel();
        }
    }
}
