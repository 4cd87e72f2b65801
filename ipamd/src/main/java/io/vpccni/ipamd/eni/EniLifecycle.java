package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.cloud.CloudException;
import io.vpccni.ipamd.cloud.CreateEniRequest;
import io.vpccni.ipamd.cloud.Ec2Api;
import io.vpccni.ipamd.cloud.EniTags;
import io.vpccni.ipamd.cloud.InstanceMetadata;
import io.vpccni.ipamd.cloud.MetadataException;
import io.vpccni.ipamd.cloud.NetworkInterface;
import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.policy.PoolAction;
import io.vpccni.ipamd.pool.Datastore;
import io.vpccni.ipamd.pool.EniInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.BiPredicate;

/**
 * Carries out the warm-pool policy's actions against EC2 and the datastore, keeping the two consistent: an ENI
 * is either attached and in the pool with all its addresses, or neither (one EC2 will not detach stays recorded as
 * attached outside the pool until a later pass removes it). A new ENI joins the pool in one step, as the last
 * step of its set-up, so no failure can leave it half in. Addresses leave the pool before they go back to EC2
 * ({@link CidrRelease}).
 */
public final class EniLifecycle {
    private static final Logger log = LoggerFactory.getLogger(EniLifecycle.class);
    static final Duration ATTACH_TIMEOUT = Duration.ofSeconds(30);

    private final Ec2Api ec2;
    private final InstanceMetadata imds;
    private final Datastore datastore;
    private final NodeIdentity node;
    private final EniLinks links;
    private final EniHostWiring hostWiring;
    private final Clock clock;
    private final Backoff backoff;
    private final CidrRelease release;
    private final EniRemover remover;
    private volatile BiPredicate<String, String> admission = (eniId, mac) -> true;
    private volatile EniAttachmentListener attachments = EniAttachmentListener.NONE;
    private volatile EniPlacement placement;

    public EniLifecycle(Ec2Api ec2, InstanceMetadata imds, Datastore datastore, NodeIdentity node, EniLinks links,
                        EniHostWiring hostWiring, Clock clock, Backoff backoff) {
        this.ec2 = ec2;
        this.imds = imds;
        this.datastore = datastore;
        this.node = node;
        this.links = links;
        this.hostWiring = hostWiring;
        this.clock = clock;
        this.backoff = backoff;
        this.release = new CidrRelease(ec2, datastore, backoff);
        this.remover = new EniRemover(ec2, datastore, backoff, clock);
        this.placement = EniPlacement.primary(node);
    }

    /** Where new ENIs go; the primary ENI's subnet unless set (subnet discovery, custom networking). */
    public void placement(EniPlacement placement) {
        this.placement = placement;
    }

    /** Decides, before a new ENI is offered to pods, whether it may carry them (eni id, MAC); a refused one is kept, excluded. */
    public void admission(BiPredicate<String, String> admission) {
        this.admission = admission;
    }

    public void attachments(EniAttachmentListener listener) {
        this.attachments = listener;
        remover.attachments(listener);
    }

    /** The log field naming the ENI a line is about (with containerId, pod and ifName, the daemon's MDC fields). */
    public static final String ENI_ID = "eniId";

    /** Carries out one action. @throws EniException naming the step and the object when it could not */
    public void apply(PoolAction action) throws InterruptedException {
        try {
            switch (action) {
                case PoolAction.AllocateEni a -> allocate(a.count(), a.prefixes());
                case PoolAction.AssignToEni a -> {
                    try (var eni = MDC.putCloseable(ENI_ID, a.eniId())) {
                        assign(a.eniId(), a.count(), a.prefixes());
                    }
                }
                case PoolAction.ReleaseCidrs r -> release.apply(r);
                case PoolAction.DeleteEni d -> {
                    try (var eni = MDC.putCloseable(ENI_ID, d.eniId())) {
                        delete(d.eniId());
                    }
                }
                case PoolAction.Nothing n -> {
                }
            }
        } catch (CloudException | PlacementException e) {
            throw new EniException(action.getClass().getSimpleName() + " failed: " + e.getMessage(), e);
        } catch (IllegalStateException e) {
            // The pool changed since the policy looked (a pod took an address): nothing was changed; decide again.
            throw new EniException(action.getClass().getSimpleName() + " skipped: " + e.getMessage(), e);
        }
    }

    /** Tries again to take ENIs off the node that an earlier failure left attached (at most once a minute). */
    public void finishAbandonedRemovals() throws InterruptedException {
        remover.retryStuck();
    }

    /**
     * Finds a free slot, then creates, attaches and wires a new ENI where the placement says (the next candidate
     * subnet when EC2 says one is full), then offers it with its addresses to the pool.
     */
    EniInfo allocate(int count, boolean prefixes) throws CloudException, PlacementException, InterruptedException {
        var candidates = placement.candidates();
        var device = freeDevice();
        var created = create(candidates, count, prefixes);
        try (var eni = MDC.putCloseable(ENI_ID, created.eniId())) {  // every line about this ENI's set-up carries it
            return attachAndSetUp(created, device, prefixes);
        }
    }

    private EniInfo attachAndSetUp(NetworkInterface created, int device, boolean prefixes)
            throws CloudException, InterruptedException {
        String attachmentId;
        try {
            attachments.beforeAttach(created.eniId(), created.mac());
            datastore.attaching(created.eniId(), device);  // the node reconcile must not adopt it while it is set up
            attachmentId = backoff.retrying(() -> ec2.attach(created.eniId(), node.instanceId(), device, 0));
        } catch (CloudException | RuntimeException e) {
            // An attach that timed out may have happened after all: detach before deleting, or the delete never can.
            var attached = attachmentOf(created.eniId());
            log.warn("attaching {} at device {} failed; {} it: {}", created.eniId(), device,
                    attached == null ? "deleting" : "detaching and deleting", e.getMessage());
            remover.remove(created.eniId(), attached, device);
            throw e;
        }
        var info = new EniInfo(created.eniId(), created.mac(), device, 0, false, false, false, created.subnetId(),
                EniInfo.routeTableFor(0, device, false), clock.instant());
        try {
            setUp(info, attachmentId, created, prefixes);
        } catch (CloudException | MetadataException | RuntimeException | TimeoutException e) {
            log.warn("setting up {} failed; detaching and deleting it: {}", created.eniId(), e.getMessage());
            undoHostWiring(info);
            remover.remove(created.eniId(), attachmentId, device);
            if (e instanceof CloudException c) {
                throw c;
            }
            throw new EniException("setting up " + created.eniId() + " failed: " + e.getMessage(), e);
        }
        return info;
    }

    private NetworkInterface create(java.util.List<Placement> candidates, int count, boolean prefixes) throws CloudException {
        for (var i = 0; ; i++) {
            var place = candidates.get(i);
            try {
                var created = ec2.createNetworkInterface(new CreateEniRequest(place.subnetId(), place.securityGroupIds(),
                        EniTags.description(node.instanceId()), prefixes ? 0 : count, prefixes ? count : 0,
                        EniTags.forNewEni(node.instanceId(), clock.instant(), node.clusterName(), node.additionalTags())));
                log.info("created {} in {} ({}) with {} {}", created.eniId(), place.subnetId(), place.source(), count,
                        prefixes ? "prefixes" : "addresses");
                return created;
            } catch (CloudException.SubnetExhausted e) {
                if (i + 1 == candidates.size()) {
                    throw e;
                }
                log.warn("{} has no room for a new ENI; trying {}: {}", place.subnetId(), candidates.get(i + 1).subnetId(),
                        e.getMessage());
            }
        }
    }

    /** Everything after the attach; the pool learns of the ENI only in the last step, all of it at once. */
    private void setUp(EniInfo info, String attachmentId, NetworkInterface created, boolean prefixes)
            throws CloudException, MetadataException, TimeoutException, InterruptedException {
        backoff.retrying(() -> {
            ec2.setDeleteOnTermination(created.eniId(), attachmentId, true);
            return null;
        });
        awaitMetadata(created.mac());
        var link = links.awaitLink(created.mac(), ATTACH_TIMEOUT);
        hostWiring.setUp(info, link, created.privateIp(), IpPrefix.of(imds.subnetIpv4CidrBlock(created.mac())));
        // A refused ENI is kept, attached and tracked, but no pod goes there until the guard lets it.
        var admitted = admission.test(created.eniId(), created.mac());
        var given = prefixes ? created.prefixes() : created.secondaryIps();
        datastore.addEni(info, given.stream().map(c -> cidr(c, prefixes)).toList(), prefixes, !admitted);
        log.info("{} attached at device {} as {}; {} offered to pods{}", created.eniId(), info.deviceNumber(), link, given,
                admitted ? "" : " once its link is no longer another manager's");
    }

    private void undoHostWiring(EniInfo info) {
        try {
            hostWiring.tearDown(info);  // idempotent: also after a set-up that failed half-way
        } catch (RuntimeException e) {
            log.warn("{}: undoing its host side failed: {}", info.eniId(), e.getMessage());
        }
    }

    /**
     * A device index for a new ENI, from what EC2 says is attached now, before anything is created; the ENIs outside
     * the pool it finds are recorded, so the policy counts them from the next pass on.
     */
    private int freeDevice() throws CloudException, InterruptedException {
        var instance = backoff.retrying(() -> ec2.describeInstance(node.instanceId()));
        var pooled = new HashSet<String>();
        datastore.usage().forEach(u -> pooled.add(u.info().eniId()));
        var known = datastore.unpooledEnis();
        var verdict = AttachmentSlots.judge(instance, pooled, known, node.maxEnis());
        for (var old : known) {
            if (!verdict.unpooled().contains(old)) {
                datastore.forgetUnpooled(old.eniId());
            }
        }
        for (var seen : verdict.newlySeen()) {
            datastore.recordUnpooled(seen);
            log.info("{} at device {} on network card {} is left alone: {}", seen.eniId(), seen.deviceNumber(),
                    seen.networkCard(), seen.reason());
        }
        if (verdict.device().isEmpty()) {
            throw new EniException("no ENI created: " + verdict.why(), null);
        }
        return verdict.device().getAsInt();
    }

    private static IpPrefix cidr(String ec2Cidr, boolean prefixes) {
        return prefixes ? IpPrefix.of(ec2Cidr) : IpPrefix.host(IpPrefix.ipv4(ec2Cidr));
    }

    /** The ENI's attachment id; null when it has none or EC2 cannot say (the remover then checks again). */
    private String attachmentOf(String eniId) throws InterruptedException {
        try {
            var found = backoff.retrying(() -> ec2.describeNetworkInterfaces(List.of(eniId)));
            return found.isEmpty() ? null : found.getFirst().attachmentId().orElse(null);
        } catch (CloudException e) {
            return null;
        }
    }

    private void assign(String eniId, int count, boolean prefixes) throws CloudException {
        var got = prefixes ? ec2.assignPrefixes(eniId, count) : ec2.assignPrivateIps(eniId, count);
        datastore.noteOwnChange(got.stream().map(c -> cidr(c, prefixes)).toList());  // not news to the node reconcile
        for (var c : got) {
            datastore.addCidr(eniId, cidr(c, prefixes), prefixes);
        }
        log.info("assigned {} to {}", got, eniId);
    }

    /**
     * Removes the ENI from the pool (refused while it holds or cools addresses), unwires it, detaches and deletes it.
     * Its attachment is looked up first: when EC2 cannot say, nothing is touched and the ENI stays in the pool.
     */
    private void delete(String eniId) throws CloudException, InterruptedException {
        var info = datastore.usage().stream().map(Datastore.EniUsage::info).filter(i -> i.eniId().equals(eniId)).findFirst()
                .orElseThrow(() -> new EniException("cannot delete " + eniId + ": the pool does not hold it", null));
        var found = backoff.retrying(() -> ec2.describeNetworkInterfaces(List.of(eniId)));
        var attachmentId = found.isEmpty() ? null : found.getFirst().attachmentId().orElse(null);
        datastore.removeEni(eniId);
        undoHostWiring(info);
        if (remover.remove(eniId, attachmentId, info.deviceNumber())) {
            log.info("deleted {}", eniId);
        }
    }

    private void awaitMetadata(String mac) throws TimeoutException, InterruptedException {
        var deadline = clock.instant().plus(ATTACH_TIMEOUT);
        for (var attempt = 0; ; attempt++) {
            try {
                if (imds.macs().stream().anyMatch(m -> m.equalsIgnoreCase(mac))) {
                    return;
                }
            } catch (MetadataException e) {
                log.debug("IMDS not answering yet: {}", e.getMessage());
            }
            if (clock.instant().isAfter(deadline) || attempt >= 20) {
                throw new TimeoutException("IMDS did not list MAC " + mac + " within " + ATTACH_TIMEOUT.toSeconds() + " s");
            }
            backoff.sleeper().sleep(Duration.ofMillis(Math.min(1000, 50L << Math.min(attempt, 5))));
        }
    }
}
