package io.vpccni.ipamd.eni;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vpccni.ipamd.cloud.InstanceMetadata;
import io.vpccni.ipamd.cloud.MetadataException;
import io.vpccni.ipamd.eni.ReconcilePlan.CidrChange;
import io.vpccni.ipamd.eni.ReconcilePlan.NodeEni;
import io.vpccni.ipamd.k8s.ClusterEvents;
import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.pool.Allocation;
import io.vpccni.ipamd.pool.Datastore;
import io.vpccni.ipamd.pool.EniInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Carries out a {@link ReconcilePlan} on the pool, and says what it fixed: in the log (each change naming its ENI and
 * CIDR), in upstream's counters, and as Kubernetes events (a Warning for each pod whose address was taken away, Normal
 * ones for the ENIs and CIDRs found changed). Each step is checked again by the datastore under its lock, so what the
 * pool manager changed since the plan was made is left as it is.
 */
final class PoolCorrection {
    private static final Logger log = LoggerFactory.getLogger(PoolCorrection.class);
    static final String POD_ADDRESS_REMOVED = "PodAddressRemovedOutsideDaemon";

    private final Datastore datastore;
    private final InstanceMetadata imds;
    private final NewEniHandler newEnis;
    private final ClusterEvents events;
    private final Clock clock;
    private final Counter eniAdded;
    private final Counter eniDeleted;
    private final Counter cidrAdded;
    private final Counter cidrDeleted;
    private final Counter forcedIps;
    private final Counter forcedEnis;

    PoolCorrection(Datastore datastore, InstanceMetadata imds, NewEniHandler newEnis, ClusterEvents events,
                   MeterRegistry registry, Clock clock) {
        this.datastore = datastore;
        this.imds = imds;
        this.newEnis = newEnis;
        this.events = events;
        this.clock = clock;
        // upstream's names and fn values, so existing dashboards and alerts keep working
        var help = "changes the node reconcile made to bring the pool in step with EC2";
        eniAdded = Counter.builder("awscni_reconcile_count").tag("fn", "eniReconcileAdd").description(help).register(registry);
        eniDeleted = Counter.builder("awscni_reconcile_count").tag("fn", "eniReconcileDel").description(help).register(registry);
        cidrAdded = Counter.builder("awscni_reconcile_count").tag("fn", "eniIPPoolReconcileAdd").description(help).register(registry);
        cidrDeleted = Counter.builder("awscni_reconcile_count").tag("fn", "eniIPPoolReconcileDel").description(help).register(registry);
        forcedIps = Counter.builder("awscni_force_removed_ips")
                .description("pod addresses taken out of the pool while assigned, because EC2 no longer gives them to the node")
                .register(registry);
        forcedEnis = Counter.builder("awscni_force_removed_enis")
                .description("ENIs taken out of the pool while pods held addresses on them, because they were detached")
                .register(registry);
    }

    /** Removals first: an address that moved from one ENI to another can then join the other. */
    ReconcileReport.Changes apply(ReconcilePlan plan) throws InterruptedException {
        var out = new Outcome();
        for (var d : plan.dropped()) {
            var lost = datastore.forceRemoveCidr(d.eniId(), d.cidr());
            if (lost.isEmpty()) {
                out.skipped.add(d.cidr() + " on " + d.eniId() + ": left the pool or was changed by the daemon meanwhile");
                continue;
            }
            cidrDeleted.increment();
            out.dropped.add(new CidrChange(d.eniId(), d.cidr(), lost.get()));
            log.warn("{} no longer has {} in EC2 (unassigned outside the daemon): it left the pool{}", d.eniId(), d.cidr(),
                    lost.get().isEmpty() ? "" : "; " + lost.get().size() + " pod(s) lost their address");
            podsLost(d.eniId(), d.cidr() + " was unassigned from it", lost.get(), out);
        }
        for (var d : plan.detached()) {
            var id = d.eni().eniId();
            var lost = datastore.forceRemoveEni(id);
            if (lost.isEmpty()) {
                out.skipped.add(id + ": left the pool or was changed by the daemon meanwhile");
                continue;
            }
            eniDeleted.increment();
            out.enisDropped.add(id);
            undoHostSide(d.eni(), true);
            log.warn("{} at device {} is no longer attached (detached outside the daemon): it left the pool with its addresses{}",
                    id, d.eni().deviceNumber(), lost.get().isEmpty() ? "" : "; " + lost.get().size() + " pod(s) lost their address");
            events.normal("EniDetachedOutsideDaemon", id + " at device " + d.eni().deviceNumber()
                    + " was detached outside the daemon; its addresses left the pool");
            if (!lost.get().isEmpty()) {
                forcedEnis.increment();
            }
            podsLost(id, "it was detached", lost.get(), out);
        }
        for (var a : plan.added()) {
            try {
                if (datastore.addFoundCidr(a.eniId(), a.cidr())) {
                    cidrAdded.increment();
                    out.added.add(a);
                    log.info("{} has {} in EC2 (assigned outside the daemon): it joined the pool", a.eniId(), a.cidr());
                } else {
                    out.skipped.add(a.cidr() + " on " + a.eniId() + ": in the pool, or changed by the daemon, meanwhile");
                }
            } catch (IllegalStateException e) {
                out.skipped.add(a.cidr() + " on " + a.eniId() + ": " + e.getMessage());
                log.warn("{} has {} in EC2, but it cannot join the pool: {}", a.eniId(), a.cidr(), e.getMessage());
            }
        }
        announce("EniAddressesAssignedOutsideDaemon", "joined the pool", out.added);
        announce("EniAddressesUnassignedOutsideDaemon", "left the pool", out.dropped);
        for (var eni : plan.leftAlone()) {
            var why = eni.notForPods().orElseThrow();
            datastore.recordUnpooled(new Datastore.UnpooledEni(eni.eniId(), eni.networkCard(), eni.deviceNumber(), why));
            out.enisLeftAlone.add(eni.eniId());
            log.info("{} was attached at device {} outside the daemon; pods do not use it: {}", eni.eniId(), eni.deviceNumber(), why);
            events.normal("EniAttachedOutsideDaemon", eni.eniId() + " was attached at device " + eni.deviceNumber()
                    + " outside the daemon; left alone: " + why);
        }
        for (var eni : plan.joining()) {
            join(eni, out);
        }
        return out.changes();
    }

    /** Wires the host side first: the ENI is offered to pods only after that, and excluded if the guard refuses it. */
    private void join(NodeEni eni, Outcome out) throws InterruptedException {
        var info = new EniInfo(eni.eniId(), eni.mac(), eni.deviceNumber(), eni.networkCard(), false, false, false,
                eni.subnetId(), EniInfo.routeTableFor(eni.networkCard(), eni.deviceNumber(), false), clock.instant());
        boolean admitted;
        try {
            var subnet = IpPrefix.of(imds.subnetIpv4CidrBlock(eni.mac()));
            admitted = newEnis.setUp(info, eni.primaryIp(), subnet);
            datastore.addFoundEni(info, List.copyOf(eni.cidrs()), !admitted);
        } catch (MetadataException | TimeoutException | RuntimeException e) {
            undoHostSide(info, false);
            out.skipped.add(eni.eniId() + ": " + e.getMessage());
            log.warn("{} was attached at device {} outside the daemon, but cannot join the pool yet (the next pass tries again): {}",
                    eni.eniId(), eni.deviceNumber(), e.getMessage());
            return;
        } catch (InterruptedException e) {
            undoHostSide(info, false);
            throw e;
        }
        eniAdded.increment();
        out.enisJoined.add(eni.eniId());
        var cidrs = eni.cidrs().stream().map(IpPrefix::toString).sorted().toList();
        log.info("{} was attached at device {} outside the daemon: it joined the pool with {}{}", eni.eniId(), eni.deviceNumber(),
                cidrs, admitted ? "" : ", excluded: another network manager owns its link");
        events.normal("EniAttachedOutsideDaemon", eni.eniId() + " was attached at device " + eni.deviceNumber()
                + " outside the daemon; it joined the pool with " + cidrs + (admitted ? "" : " but gets no pods while "
                + "another network manager owns its link"));
    }

    private void podsLost(String eniId, String what, List<Allocation> lost, Outcome out) {
        for (var a : lost) {
            forcedIps.increment();
            out.podsLost.add(a);
            events.warning(POD_ADDRESS_REMOVED, "pod " + a.pod() + " (" + a.key() + ") lost its address " + a.ipv4Text()
                    + ": EC2 no longer gives it to the node (" + eniId + ": " + what + " outside the daemon). No other pod "
                    + "gets the address, but this pod's traffic no longer flows: delete the pod so that it is recreated");
        }
    }

    /** One Normal event per ENI, not per address: a prefix-delegation node can change dozens at once. */
    private void announce(String reason, String what, List<CidrChange> changes) {
        var byEni = new LinkedHashMap<String, List<String>>();
        changes.forEach(c -> byEni.computeIfAbsent(c.eniId(), k -> new ArrayList<>()).add(c.cidr().toString()));
        byEni.forEach((eni, cidrs) -> events.normal(reason, eni + ": " + String.join(", ", cidrs) + " " + what
                + " (changed in EC2 outside the daemon)"));
    }

    private void undoHostSide(EniInfo eni, boolean detached) {
        try {
            if (detached) {
                newEnis.detached(eni);
            } else {
                newEnis.tearDown(eni);
            }
        } catch (RuntimeException e) {
            log.warn("{}: removing its host side failed: {}", eni.eniId(), e.getMessage());
        }
    }

    private static final class Outcome {
        final List<CidrChange> added = new ArrayList<>();
        final List<CidrChange> dropped = new ArrayList<>();
        final List<String> enisJoined = new ArrayList<>();
        final List<String> enisDropped = new ArrayList<>();
        final List<String> enisLeftAlone = new ArrayList<>();
        final List<Allocation> podsLost = new ArrayList<>();
        final List<String> skipped = new ArrayList<>();

        ReconcileReport.Changes changes() {
            return new ReconcileReport.Changes(List.copyOf(added), List.copyOf(dropped), List.copyOf(enisJoined),
                    List.copyOf(enisDropped), List.copyOf(enisLeftAlone), List.copyOf(podsLost), List.copyOf(skipped));
        }
    }
}
