package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.cloud.CloudException;
import io.vpccni.ipamd.cloud.Ec2Api;
import io.vpccni.ipamd.cloud.EniTags;
import io.vpccni.ipamd.cloud.Filter;
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
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Deletes ENIs this node created and lost: tagged with this instance's id, {@code available} (attached to
 * nothing), described {@code aws-K8S-…}, and created over 5 minutes ago (an ENI being attached right now is
 * younger). An ENI without a creation tag is tagged now and judged on a later sweep. ENIs tagged
 * {@code node.k8s.amazonaws.com/no_manage=true} are never touched.
 */
public final class LeakedEniCollector implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeakedEniCollector.class);
    static final Duration MIN_AGE = Duration.ofMinutes(5);
    static final Duration INTERVAL = Duration.ofHours(1);
    static final Duration MAX_START_DELAY = Duration.ofMinutes(5);

    private final Ec2Api ec2;
    private final String instanceId;
    private final Clock clock;
    private volatile Task task;

    public LeakedEniCollector(Ec2Api ec2, String instanceId, Clock clock) {
        this.ec2 = ec2;
        this.instanceId = instanceId;
        this.clock = clock;
    }

    /** One sweep. @return the ENIs it deleted */
    public List<String> sweep() throws CloudException {
        return sweep(MIN_AGE);
    }

    /**
     * The sweep at daemon start. Only one daemon runs per node (the socket's lock file sees to that), so an
     * available ENI this node created is one a previous daemon lost between creating and attaching it
     * (a crash, a kill): it is deleted at once instead of an hour later. Never throws: a failure is logged and
     * the periodic sweep tries again, so the start-up (and the pool's reconcile loop after it) goes on.
     *
     * @return the ENIs it deleted; empty also when it failed
     */
    public List<String> sweepAtStart() {
        try {
            return sweep(Duration.ZERO);
        } catch (CloudException | RuntimeException e) {
            log.warn("the leaked-ENI sweep at start failed; the periodic sweep (within {} min) tries again: {}",
                    MAX_START_DELAY.toMinutes(), e.getMessage());
            return List.of();
        }
    }

    private List<String> sweep(Duration minAge) throws CloudException {
        var now = clock.instant();
        var deleted = new ArrayList<String>();
        var candidates = ec2.findNetworkInterfaces(List.of(Filter.of("tag:" + EniTags.INSTANCE_ID, instanceId),
                Filter.of("status", "available")));
        for (var eni : candidates) {
            var tags = eni.tags();
            if (eni.attachment().isPresent() || eni.description() == null || !eni.description().startsWith(EniTags.DESCRIPTION_PREFIX)
                    || "true".equalsIgnoreCase(tags.get(EniTags.NO_MANAGE))) {
                continue;
            }
            var createdAt = parse(tags.get(EniTags.CREATED_AT));
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
            } catch (CloudException.NotFound gone) {
                continue;
            }
            deleted.add(eni.eniId());
            log.warn("deleted leaked {} (created {}, available)", eni.eniId(), createdAt);
        }
        return deleted;
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
