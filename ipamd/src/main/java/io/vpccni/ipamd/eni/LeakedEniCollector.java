package io.vpccni.ipamd.eni;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vpccni.ipamd.cloud.CloudException;
import io.vpccni.ipamd.cloud.Ec2Api;
import io.vpccni.ipamd.cloud.EniTags;
import io.vpccni.ipamd.cloud.Filter;
import io.vpccni.ipamd.cloud.NetworkInterface;
import io.vpccni.ipamd.k8s.SweepLease;
import io.vpccni.ipamd.schedule.Next;
import io.vpccni.ipamd.schedule.Scheduler;
import io.vpccni.ipamd.schedule.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Deletes leaked ENIs: {@code available} (attached to nothing), described {@code aws-K8S-…}, and created over 5
 * minutes ago (an ENI being attached right now is younger). An ENI without a creation tag is tagged now and judged
 * on a later sweep. ENIs tagged {@code node.k8s.amazonaws.com/no_manage=true} are never touched.
 *
 * <p>Which ENIs a pass looks at ({@link SweepScope}, {@link SweepTurn}): with a cluster name, the node that holds
 * the {@link SweepLease} sweeps the whole cluster in its VPC, so the ENIs a terminated node leaked are deleted too,
 * and the other nodes make no call at all; when nobody can tell who holds the lease, every node sweeps its own.
 * Without a cluster name every node sweeps its own only. The sweep at start always looks at the node's own ENIs.
 */
public final class LeakedEniCollector implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeakedEniCollector.class);
    static final Duration MIN_AGE = Duration.ofMinutes(5);
    static final Duration INTERVAL = Duration.ofHours(1);
    static final Duration MAX_START_DELAY = Duration.ofMinutes(5);
    /**
     * A bit over the interval: the holder renews it on each hourly pass, a pass that ends late (slow EC2 calls)
     * still finds it held, and a holder that died frees it at most 70 min after its last pass.
     */
    static final Duration LEASE_TERM = Duration.ofMinutes(70);

    private final Ec2Api ec2;
    private final SweepScope scope;
    private final SweepLease lease;
    private final Clock clock;
    private final Map<SweepTurn, Counter> sweeps = new EnumMap<>(SweepTurn.class);
    private final Map<SweepTurn, Counter> deleted = new EnumMap<>(SweepTurn.class);
    private volatile Task task;
    /** The last pass's turn, to log only when this node starts or stops sweeping for the cluster. */
    private SweepTurn lastTurn;

    /** This node's own ENIs only, no lease, no metrics: the collector before the cluster scope. */
    public LeakedEniCollector(Ec2Api ec2, String instanceId, Clock clock) {
        this(ec2, SweepScope.ownNode(instanceId), SweepLease.NONE, new SimpleMeterRegistry(), clock);
    }

    public LeakedEniCollector(Ec2Api ec2, SweepScope scope, SweepLease lease, MeterRegistry metrics, Clock clock) {
        this.ec2 = ec2;
        this.scope = scope;
        this.lease = lease;
        this.clock = clock;
        for (var turn : SweepTurn.values()) {
            sweeps.put(turn, Counter.builder("awscni_leaked_eni_sweeps").tag("scope", turn.label)
                    .description("leak sweeps by scope; each but scope=none is one DescribeNetworkInterfaces")
                    .register(metrics));
            if (turn != SweepTurn.SKIP) {
                deleted.put(turn, Counter.builder("awscni_leaked_enis_deleted").tag("scope", turn.label)
                        .description("leaked ENIs deleted, by the scope of the sweep that found them").register(metrics));
            }
        }
    }

    /** One periodic pass: claims the lease when there is a cluster scope, and sweeps what that decides. @return the ENIs it deleted */
    public List<String> sweep() throws CloudException {
        var clusterFilters = scope.clusterFilters();
        var turn = clusterFilters.isEmpty() ? SweepTurn.OWN_NODE : SweepTurn.after(claim());
        noteTurn(turn);
        return switch (turn) {
            case CLUSTER -> sweep(turn, clusterFilters.get(), MIN_AGE);
            case OWN_NODE -> sweep(turn, scope.ownNodeFilters(), MIN_AGE);
            case SKIP -> {
                sweeps.get(turn).increment();
                yield List.of();
            }
        };
    }

    /**
     * The sweep at daemon start. Only one daemon runs per node (the socket's lock file sees to that), so an
     * available ENI this node created is one a previous daemon lost between creating and attaching it
     * (a crash, a kill): it is deleted at once instead of an hour later. Other nodes' ENIs get the grace period,
     * so this sweep stays on the node's own. Never throws: a failure is logged and the periodic sweep tries
     * again, so the start-up (and the pool's reconcile loop after it) goes on.
     *
     * @return the ENIs it deleted; empty also when it failed
     */
    public List<String> sweepAtStart() {
        try {
            return sweep(SweepTurn.OWN_NODE, scope.ownNodeFilters(), Duration.ZERO);
        } catch (CloudException | RuntimeException e) {
            log.warn("the leaked-ENI sweep at start failed; the periodic sweep (within {} min) tries again: {}",
                    MAX_START_DELAY.toMinutes(), e.getMessage());
            return List.of();
        }
    }

    private SweepLease.Claim claim() {
        try {
            return lease.claim(LEASE_TERM);
        } catch (RuntimeException e) {
            log.warn("could not claim the leak-sweep lease, sweeping this node's own ENIs: {}", e.getMessage());
            return SweepLease.Claim.UNKNOWN;
        }
    }

    private void noteTurn(SweepTurn turn) {
        if (turn == lastTurn) {
            return;
        }
        if (turn == SweepTurn.CLUSTER) {
            log.info("this node holds the leak-sweep lease: it sweeps the leaked ENIs of cluster {} in {}",
                    scope.clusterName().orElseThrow(), scope.vpcId());
        } else if (lastTurn == SweepTurn.CLUSTER) {
            log.info("this node no longer holds the leak-sweep lease ({}): it sweeps {}", turn == SweepTurn.SKIP
                    ? "another node does" : "nobody can tell who does", turn == SweepTurn.SKIP ? "nothing" : "its own ENIs");
        }
        lastTurn = turn;
    }

    private List<String> sweep(SweepTurn turn, List<Filter> filters, Duration minAge) throws CloudException {
        sweeps.get(turn).increment();
        var now = clock.instant();
        var gone = new ArrayList<String>();
        for (var eni : ec2.findNetworkInterfaces(filters)) {
            if (!ours(eni)) {
                continue;
            }
            var createdAt = parse(eni.tags().get(EniTags.CREATED_AT));
            if (createdAt == null && minAge.isZero()) {
                createdAt = now;
            }
            if (createdAt == null) {
                ec2.createTags(List.of(eni.eniId()), Map.of(EniTags.CREATED_AT, EniTags.timestamp(now)));
                log.info("{} is available and has no {} tag: tagged it, to be judged on a later sweep", eni.eniId(), EniTags.CREATED_AT);
                continue;
            }
            if (Duration.between(createdAt, now).compareTo(minAge) < 0) {
                continue;
            }
            try {
                ec2.delete(eni.eniId());
            } catch (CloudException.NotFound alreadyGone) {
                continue;  // another sweeper or its owner got there first
            }
            gone.add(eni.eniId());
            deleted.get(turn).increment();
            log.warn("deleted leaked {} of {} (created {}, available)", eni.eniId(), eni.tags().get(EniTags.INSTANCE_ID), createdAt);
        }
        return gone;
    }

    /** Whether a described ENI is one this daemon's kind created and may delete: the filters alone are not trusted. */
    private static boolean ours(NetworkInterface eni) {
        return eni.attachment().isEmpty() && eni.description() != null && eni.description().startsWith(EniTags.DESCRIPTION_PREFIX)
                && !"true".equalsIgnoreCase(eni.tags().get(EniTags.NO_MANAGE));
    }

    private static Instant parse(String tag) {
        if (tag == null) {
            return null;
        }
        try {
            return Instant.parse(tag);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Sweeps hourly on {@code scheduler} after a random start delay, so nodes started together do not sweep together. */
    public void start(Scheduler scheduler, Random random) {
        if (scope.clusterName().isEmpty()) {
            log.info("CLUSTER_NAME is not set: the leaked-ENI sweep covers only this node's own ENIs (a VPC-wide sweep "
                    + "could delete another cluster's); ENIs of terminated nodes are left to the operator");
        }
        var firstDelay = Duration.ofMillis((long) (random.nextDouble() * MAX_START_DELAY.toMillis()));
        task = scheduler.loop("leaked-eni-collector", firstDelay, this::periodicSweep);
    }

    private Next periodicSweep() {
        try {
            sweep();
        } catch (CloudException | RuntimeException e) {
            log.warn("leaked-ENI sweep failed; next one in {}: {}", INTERVAL, e.getMessage());
        }
        return Next.after(INTERVAL);
    }

    @Override
    public void close() {
        var t = task;
        if (t != null) {
            t.cancel();
        }
    }
}
