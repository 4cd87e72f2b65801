package io.vpccni.ipamd.k8s;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The {@code coordination.k8s.io/v1} Lease {@value #NAME} in the daemon's namespace: one node at a time sweeps the
 * cluster's leaked ENIs. Every write carries the resourceVersion just read (a create carries none, and fails with
 * 409 if another node created it first), so when two nodes find the lease free at once the API server accepts one
 * update and refuses the other: exactly one holds it. Expiry is {@code renewTime + leaseDurationSeconds}, judged by
 * the injected clock; node clocks are NTP-synchronised on EC2, and a term is minutes long.
 */
final class LeaseSweepLease implements SweepLease {
    private static final Logger log = LoggerFactory.getLogger(LeaseSweepLease.class);
    static final String NAME = "aws-node-leaked-eni-sweeper";

    private final KubernetesClient client;
    private final String namespace;
    private final String holder;
    private final ApiServerHealth health;
    private final Clock clock;
    /** Runs between the read and the write: a test holds two nodes there to make them race. */
    private final Consumer<Lease> afterRead;

    LeaseSweepLease(KubernetesClient client, String namespace, String holder, ApiServerHealth health, Clock clock) {
        this(client, namespace, holder, health, clock, lease -> { });
    }

    LeaseSweepLease(KubernetesClient client, String namespace, String holder, ApiServerHealth health, Clock clock,
                    Consumer<Lease> afterRead) {
        this.client = client;
        this.namespace = namespace;
        this.holder = holder;
        this.health = health;
        this.clock = clock;
        this.afterRead = afterRead;
    }

    @Override
    public boolean acquire(Duration term) {
        return claim(term) == Claim.HELD;
    }

    /** Tells "another node holds it" (skip the sweep: its covers ours) from "cannot tell" (sweep our own). */
    @Override
    public Claim claim(Duration term) {
        var seconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, (term.toMillis() + 999) / 1000));
        var now = ZonedDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        var leases = client.leases().inNamespace(namespace);
        try {
            var current = leases.withName(NAME).get();
            afterRead.accept(current);
            var claim = current == null ? create(now, seconds) : takeOrRenew(current, now, seconds);
            health.answered("acquiring Lease " + where());
            return claim;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                // Another node wrote it between our read and our write: it won.
                health.answered("acquiring Lease " + where());
                log.debug("Lease {}: another node took it first", where());
                return Claim.HELD_BY_ANOTHER_NODE;
            }
            health.failed("acquiring Lease " + where(), e);
            log.warn("Lease {} could not be read or written, so {} does not sweep the cluster's leaked ENIs this time: {}",
                    where(), holder, ApiServerHealth.describe(e));
            return Claim.UNKNOWN;
        }
    }

    private Claim create(ZonedDateTime now, int seconds) {
        var lease = new LeaseBuilder().withNewMetadata().withName(NAME).withNamespace(namespace).endMetadata()
                .withNewSpec().withHolderIdentity(holder).withLeaseDurationSeconds(seconds)
                .withAcquireTime(now).withRenewTime(now).withLeaseTransitions(0).endSpec().build();
        client.leases().inNamespace(namespace).resource(lease).create();
        log.info("Lease {} created, held by {} for {} s", where(), holder, seconds);
        return Claim.HELD;
    }

    private Claim takeOrRenew(Lease current, ZonedDateTime now, int seconds) {
        var spec = current.getSpec();
        var currentHolder = spec == null ? null : spec.getHolderIdentity();
        if (holder.equals(currentHolder)) {
            spec.setRenewTime(now);
            spec.setLeaseDurationSeconds(seconds);
            client.leases().inNamespace(namespace).resource(current).update();
            log.debug("Lease {} renewed by {} for {} s", where(), holder, seconds);
            return Claim.HELD;
        }
        if (currentHolder != null && !currentHolder.isEmpty() && !expired(spec, now)) {
            log.debug("Lease {} is held by {} until {}", where(), currentHolder, expiry(spec));
            return Claim.HELD_BY_ANOTHER_NODE;
        }
        var taken = new LeaseBuilder(current).editOrNewSpec().withHolderIdentity(holder).withLeaseDurationSeconds(seconds)
                .withAcquireTime(now).withRenewTime(now)
                .withLeaseTransitions(spec == null || spec.getLeaseTransitions() == null ? 1 : spec.getLeaseTransitions() + 1)
                .endSpec().build();
        client.leases().inNamespace(namespace).resource(taken).update();  // carries the resourceVersion read
        log.info("Lease {} taken over by {} from {} (expired at {})", where(), holder,
                Objects.requireNonNullElse(currentHolder, "nobody"), spec == null ? "never held" : expiry(spec));
        return Claim.HELD;
    }

    private static boolean expired(LeaseSpec spec, ZonedDateTime now) {
        var expiry = expiry(spec);
        return expiry == null || expiry.isBefore(now);
    }

    /** When the holder's term ends; null when the lease says nothing usable (it counts as free). */
    private static ZonedDateTime expiry(LeaseSpec spec) {
        var renewed = spec.getRenewTime() != null ? spec.getRenewTime() : spec.getAcquireTime();
        if (renewed == null || spec.getLeaseDurationSeconds() == null) {
            return null;
        }
        return renewed.plusSeconds(spec.getLeaseDurationSeconds());
    }

    private String where() {
        return namespace + "/" + NAME;
    }
}
