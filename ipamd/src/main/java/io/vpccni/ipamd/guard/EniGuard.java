package io.vpccni.ipamd.guard;

import io.vpccni.ipamd.k8s.ClusterEvents;
import io.vpccni.ipamd.net.Link;
import io.vpccni.ipamd.net.Netlink;
import io.vpccni.ipamd.pool.Datastore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps pods off secondary ENIs that another network manager owns or is about to own: such an ENI is
 * excluded from new assignments (pods already on it keep their addresses), and a log line, a warning
 * event and a counter say which ENI, which manager, and what to do. Ownership can change at any time
 * (nodeadm writes a .network file and reloads networkd), so {@link #recheck} runs on every relevant change
 * and on a timer; an ENI whose manager lets go is offered again.
 */
public final class EniGuard {
    private static final Logger log = LoggerFactory.getLogger(EniGuard.class);

    private final LinkOwnership ownership;
    private final Netlink host;
    private final Datastore datastore;
    private final ClusterEvents events;
    private final Map<String, Owner> refused = new ConcurrentHashMap<>();
    private final AtomicLong refusals = new AtomicLong();

    public EniGuard(LinkOwnership ownership, Netlink host, Datastore datastore, ClusterEvents events) {
        this.ownership = ownership;
        this.host = host;
        this.datastore = datastore;
        this.events = events;
    }

    /**
     * Whether a just-attached ENI may carry pods, decided before it is offered to the pool. A refused ENI is
     * recorded (and reported) so that a later {@link #recheck} offers it once its manager lets go.
     */
    public synchronized boolean admit(String eniId, String mac) {
        var link = host.linkByMac(mac);
        if (link.isEmpty()) {
            return true;
        }
        var owner = ownership.ownerOf(link.get().index(), link.get().name(), mac);
        if (owner.acceptable()) {
            return true;
        }
        refuse(eniId, link.get(), owner, 0);
        return false;
    }

    /** Checks every secondary ENI in the pool against its link's manager. */
    public synchronized void recheck() {
        for (var usage : datastore.usage()) {
            var eni = usage.info();
            if (eni.primary()) {
                continue;  // the primary ENI carries the node's own address; its manager is expected
            }
            var link = host.linkByMac(eni.mac());
            if (link.isEmpty()) {
                continue;  // attaching or detaching: nothing to decide yet
            }
            var owner = ownership.ownerOf(link.get().index(), link.get().name(), eni.mac());
            var wasRefused = refused.containsKey(eni.eniId());
            if (!owner.acceptable() && !wasRefused) {
                refuse(eni.eniId(), link.get(), owner, usage.assignedIps());
            } else if (owner.acceptable() && wasRefused) {
                refused.remove(eni.eniId());
                datastore.setExcluded(eni.eniId(), false);
                log.info("{} on {} is no longer managed by another manager ({}): offered to pods again",
                        eni.eniId(), link.get().name(), owner.describe());
            }
        }
    }

    private void refuse(String eniId, Link link, Owner owner, int podsOnIt) {
        refused.put(eniId, owner);
        refusals.incrementAndGet();
        if (datastore.usage().stream().anyMatch(u -> u.info().eniId().equals(eniId))) {
            datastore.setExcluded(eniId, true);
        }
        var message = eniId + " (" + link.name() + ") is managed by " + owner.describe() + "; no new pod gets an address on it"
                + (podsOnIt > 0 ? " (" + podsOnIt + " pod(s) already on it keep theirs, but that manager may strip its addresses and routes)" : "")
                + ". Make the link unmanaged: a .network file matching it with [Link] Unmanaged=yes sorting before "
                + "the one that claims it, or stop the manager from claiming ENIs the CNI uses.";
        try (var eni = MDC.putCloseable("eniId", eniId)) {  // the log field every line about one ENI carries
            log.warn(message);
        }
        events.warning("EniOwnedByNetworkManager", message);
    }

    /** One ENI of the pool as the guard sees it now; {@code link} is null while it has none (attaching). */
    public record Verdict(Datastore.EniUsage eni, Link link, Owner owner, boolean refused) {
    }

    /** Every ENI of the pool with its link's manager read afresh, and whether the guard refuses it. */
    public List<Verdict> verdicts() {
        var out = new ArrayList<Verdict>();
        for (var usage : datastore.usage()) {
            var link = host.linkByMac(usage.info().mac()).orElse(null);
            var owner = link == null ? new Owner.Nobody("no link with its MAC yet")
                    : ownership.ownerOf(link.index(), link.name(), usage.info().mac());
            out.add(new Verdict(usage, link, owner, refused.containsKey(usage.info().eniId())));
        }
        return out;
    }

    /** ENIs refused now, with their owners. */
    public Map<String, Owner> refused() {
        return Map.copyOf(refused);
    }

    /** How many times an ENI was refused since start (a metric). */
    public long refusals() {
        return refusals.get();
    }
}
