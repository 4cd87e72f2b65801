package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.cloud.CloudException;
import io.vpccni.ipamd.cloud.CreateEniRequest;
import io.vpccni.ipamd.cloud.Ec2Api;
import io.vpccni.ipamd.cloud.EniTags;
import io.vpccni.ipamd.cloud.InstanceMetadata;
import io.vpccni.ipamd.cloud.MetadataException;
import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.policy.PoolAction;
import io.vpccni.ipamd.pool.Datastore;
import io.vpccni.ipamd.pool.EniInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Carries out the warm-pool policy's actions against EC2 and the datastore, and never leaks an ENI: a
 * failed attach deletes the new ENI; any later failure detaches and deletes it. Addresses are released to
 * EC2 only after they left the datastore, so no pod can be given one while it goes.
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
    private volatile java.util.function.BiPredicate<String, String> admission = (eniId, mac) -> true;
    private volatile EniAttachmentListener attachments = EniAttachmentListener.NONE;

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
    }

    /** Decides, before a new ENI is offered to pods, whether it may carry them (eni id, MAC); a refused one is kept, excluded. */
    public void admission(java.util.function.BiPredicate<String, String> admission) {
        this.admission = admission;
    }

    public void attachments(EniAttachmentListener listener) {
        this.attachments = listener;
    }

    /** Carries out one action. @throws EniException naming the step and the object when it could not */
    public void apply(PoolAction action) throws InterruptedException {
        try {
            switch (action) {
                case PoolAction.AllocateEni a -> allocate(a.count(), a.prefixes());
                case PoolAction.AssignToEni a -> assign(a.eniId(), a.count(), a.prefixes());
                case PoolAction.ReleaseCidrs r -> release.apply(r);
                case PoolAction.DeleteEni d -> delete(d.eniId());
                case PoolAction.Nothing n -> {
                }
            }
        } catch (CloudException e) {
            throw new EniException(action.getClass().getSimpleName() + " failed: " + e.getMessage(), e);
        } catch (IllegalStateException e) {
            // The pool changed since the policy looked (a pod took an address): nothing was changed; decide again.
            throw new EniException(action.getClass().getSimpleName() + " skipped: " + e.getMessage(), e);
        }
    }

    /** Creates, attaches and wires a new ENI, then offers its addresses to the pool. */
    EniInfo allocate(int count, boolean prefixes) throws CloudException, InterruptedException {
        var created = ec2.createNetworkInterface(new CreateEniRequest(node.subnetId(), node.securityGroupIds(),
                EniTags.description(node.instanceId()), prefixes ? 0 : count, prefixes ? count : 0,
                EniTags.forNewEni(node.instanceId(), clock.instant(), node.clusterName(), node.additionalTags())));
        log.info("created {} in {} with {} {}", created.eniId(), node.subnetId(), count, prefixes ? "prefixes" : "addresses");
        int device;
        String attachmentId;
        try {
            device = backoff.retrying(() -> ec2.describeInstance(node.instanceId())).freeDeviceIndex(0, node.maxEnis());
            if (device < 0) {
                throw new EniException("no free device index below " + node.maxEnis() + " on " + node.instanceId()
                        + " for " + created.eniId(), null);
            }
            var at = device;
            attachments.beforeAttach(created.eniId(), created.mac());
            attachmentId = backoff.retrying(() -> ec2.attach(created.eniId(), node.instanceId(), at, 0));
        } catch (CloudException | RuntimeException e) {
            // An attach that timed out may have happened after all: detach before deleting, or the delete never can.
            var attached = attachmentOf(created.eniId());
            log.warn("attaching {} failed; {} it: {}", created.eniId(), attached == null ? "deleting" : "detaching and deleting",
                    e.getMessage());
            detachAndDelete(created.eniId(), attached);
            throw e;
        }
        try {
            backoff.retrying(() -> {
                ec2.setDeleteOnTermination(created.eniId(), attachmentId, true);
                return null;
            });
            awaitMetadata(created.mac());
            var link = links.awaitLink(created.mac(), ATTACH_TIMEOUT);
            var info = new EniInfo(created.eniId(), created.mac(), device, 0, false, false, false, created.subnetId(),
                    EniInfo.routeTableFor(0, device, false), clock.instant());
            hostWiring.setUp(info, link, created.privateIp(), IpPrefix.of(imds.subnetIpv4CidrBlock(created.mac())));
            datastore.addEni(info);
            if (!admission.test(created.eniId(), created.mac())) {
                datastore.setExcluded(created.eniId(), true);  // attached and tracked, but no pod goes there
            }
            addCidrs(created.eniId(), prefixes ? created.prefixes() : created.secondaryIps(), prefixes);
            log.info("{} attached at device {} as {}; {} offered to pods", created.eniId(), device, link,
                    prefixes ? created.prefixes() : created.secondaryIps());
            return info;
        } catch (CloudException | MetadataException | RuntimeException | TimeoutException e) {
            log.warn("setting up {} failed; detaching and deleting it: {}", created.eniId(), e.getMessage());
            detachAndDelete(created.eniId(), attachmentId);
            if (e instanceof CloudException c) {
                throw c;
            }
            hostWiring.tearDown(new EniInfo(created.eniId(), created.mac(), device, 0, false, false, false, created.subnetId(),
                    EniInfo.routeTableFor(0, device, false), clock.instant()));
            throw new EniException("setting up " + created.eniId() + " failed: " + e.getMessage(), e);
        }
    }

    private String attachmentOf(String eniId) {
        try {
            var found = ec2.describeNetworkInterfaces(List.of(eniId));
            return found.isEmpty() ? null : found.getFirst().attachmentId().orElse(null);
        } catch (CloudException e) {
            return null;
        }
    }

    private void assign(String eniId, int count, boolean prefixes) throws CloudException {
        var got = prefixes ? ec2.assignPrefixes(eniId, count) : ec2.assignPrivateIps(eniId, count);
        addCidrs(eniId, got, prefixes);
        log.info("assigned {} to {}", got, eniId);
    }

    private void addCidrs(String eniId, List<String> cidrs, boolean prefixes) {
        for (var c : cidrs) {
            datastore.addCidr(eniId, prefixes ? IpPrefix.of(c) : IpPrefix.host(IpPrefix.ipv4(c)), prefixes);
        }
    }

    /** Removes the ENI from the pool (refused while it holds or cools addresses), unwires it, detaches and deletes it. */
    private void delete(String eniId) throws CloudException, InterruptedException {
        var info = datastore.usage().stream().map(Datastore.EniUsage::info).filter(i -> i.eniId().equals(eniId)).findFirst()
                .orElseThrow(() -> new EniException("cannot delete " + eniId + ": the pool does not hold it", null));
        datastore.removeEni(eniId);
        hostWiring.tearDown(info);
        detachAndDelete(eniId, attachmentOf(eniId));
        log.info("deleted {}", eniId);
    }

    /** Detach, wait until EC2 reports it available, delete; retried with backoff, "not found" counts as done. */
    void detachAndDelete(String eniId, String attachmentId) throws InterruptedException {
        if (attachmentId != null) {
            for (var attempt = 0; ; attempt++) {
                backoff.pause(attempt);
                try {
                    ec2.detach(attachmentId, false);
                    break;
                } catch (CloudException.NotFound e) {
                    break;
                } catch (CloudException e) {
                    if (attempt + 1 >= backoff.attempts()) {
                        log.error("could not detach {} ({}); it stays attached and is rediscovered at the next start: {}",
                                eniId, attachmentId, e.getMessage());
                        return;
                    }
                }
            }
        }
        deleteWithRetries(eniId);
        attachments.deleted(eniId);
    }

    private void deleteWithRetries(String eniId) throws InterruptedException {
        for (var attempt = 0; attempt < backoff.attempts(); attempt++) {
            backoff.pause(attempt);
            try {
                ec2.delete(eniId);
                return;
            } catch (CloudException.NotFound e) {
                return;
            } catch (CloudException e) {
                log.debug("delete {} attempt {}: {}", eniId, attempt + 1, e.getMessage());
            }
        }
        log.error("could not delete {} after {} attempts; leaked-ENI collection will", eniId, backoff.attempts());
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
