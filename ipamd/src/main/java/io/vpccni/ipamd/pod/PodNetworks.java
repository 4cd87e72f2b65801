package io.vpccni.ipamd.pod;

import io.vpccni.ipamd.pool.Allocation;
import io.vpccni.ipamd.pool.AttachmentKey;
import io.vpccni.ipamd.pool.IpAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CNI verbs as the daemon performs them: an address from the pool plus the pod's wiring, kept
 * consistent with each other. ADD undoes a fresh assignment when wiring fails; DEL releases the address
 * only once the wiring is gone, so an address is never handed to a second pod while the first still
 * routes it. Calls on one attachment run one at a time, and stop when their caller has gone.
 */
public final class PodNetworks {
    private static final Logger log = LoggerFactory.getLogger(PodNetworks.class);

    private final IpAllocator allocator;
    private final PodWiring wiring;
    private final AttachmentLocks locks = new AttachmentLocks();
    private volatile java.util.function.Consumer<Allocation> added = allocation -> { };
    /** Each attachment's network namespace as its runtime last named it (ADD, CHECK), so introspection can check it too. */
    private final Map<AttachmentKey, String> namespaces = new ConcurrentHashMap<>();

    public PodNetworks(IpAllocator allocator, PodWiring wiring) {
        this.allocator = allocator;
        this.wiring = wiring;
    }

    public record Attached(Allocation allocation, PodInterfaces interfaces) {
    }

    /** Told of each pod that got a new address (ANNOTATE_POD_IP); it must not block: ADD waits for it. */
    public void onAdded(java.util.function.Consumer<Allocation> listener) {
        this.added = listener;
    }

    /**
     * @throws io.vpccni.ipamd.pool.PoolException when no address is available; WiringException when wiring failed;
     *                                            CallerGoneException when the caller stopped waiting (nothing is left)
     */
    public Attached add(PodNetworkRequest request, Caller caller) {
        return locks.with(request.key(), caller, () -> {
            var assignment = allocator.assign(request.key(), request.pod(), wiring.hostVeth(request));
            var allocation = assignment.allocation();
            try {
                caller.ensureWaiting("wiring " + allocation.ipv4Text());
                var attached = new Attached(allocation, wiring.setUp(request, allocation));
                namespaces.put(request.key(), request.netns());
                if (assignment.fresh()) {
                    caller.ensureWaiting("answering");  // a runtime that gave up never learns of this pod: undo it
                    tell(allocation);
                }
                return attached;
            } catch (RuntimeException e) {
                if (assignment.fresh()) {
                    undo(request, allocation, e);
                }
                throw e;
            }
        });
    }

    private void tell(Allocation allocation) {
        try {
            added.accept(allocation);
        } catch (RuntimeException e) {
            log.warn("ADD {}: could not pass on the new address {}: {}", allocation.key(), allocation.ipv4Text(), e.toString());
        }
    }

    private void undo(PodNetworkRequest request, Allocation allocation, RuntimeException cause) {
        try {
            if (cause instanceof CallerGoneException) {
                wiring.tearDown(request, allocation);  // the wiring may be complete; setUp undoes only its own failures
            }
            allocator.release(request.key());
            log.warn("ADD {} for pod {} failed; released {}: {}", request.key(), request.pod(), allocation.ipv4Text(), cause.getMessage());
        } catch (RuntimeException e) {
            log.error("ADD {} failed and could not be undone; {} stays assigned until its DEL: {}", request.key(),
                    allocation.ipv4Text(), e.getMessage());
        }
    }

    /**
     * Removes the pod's wiring, then releases its address. Succeeds when nothing is left to remove.
     *
     * @return the released allocation, if the daemon held one
     * @throws WiringException when some wiring could not be removed; the address stays assigned so a retry can finish
     */
    public Optional<Allocation> del(PodNetworkRequest request, Caller caller) {
        return locks.with(request.key(), caller, () -> {
            var allocation = allocator.find(request.key());
            wiring.tearDown(allocation.isPresent() ? request : withoutForeignAddresses(request), allocation.orElse(null));
            namespaces.remove(request.key());
            return allocation.isPresent() ? allocator.release(request.key()) : Optional.empty();
        });
    }

    /**
     * Without a record, DEL falls back on prevResult's address; if the pool has since given that address to
     * another attachment, its rules belong to that pod and must not be touched.
     */
    private PodNetworkRequest withoutForeignAddresses(PodNetworkRequest request) {
        var prev = request.prevResult();
        if (prev == null || prev.firstIp() == null) {
            return request;
        }
        var holder = allocator.holderOf(io.vpccni.ipamd.net.IpPrefix.ipv4(prev.firstIp()));
        if (holder.isEmpty()) {
            return request;
        }
        log.warn("DEL {}: prevResult address {} now belongs to {}; removing only this pod's veth", request.key(),
                prev.firstIp(), holder.get().key());
        return new PodNetworkRequest(request.key(), request.pod(), request.netns(), request.settings(),
                new PrevResult(prev.interfaces(), List.of(), prev.gateway()));
    }

    /** @return the drifts, empty when healthy; a missing record is itself a drift */
    public List<Drift> check(PodNetworkRequest request, Caller caller) {
        return locks.with(request.key(), caller, () -> checkLocked(request));
    }

    private List<Drift> checkLocked(PodNetworkRequest request) {
        var allocation = allocator.find(request.key());
        if (allocation.isPresent() && !request.netns().isEmpty()) {
            namespaces.put(request.key(), request.netns());
        }
        if (allocation.isEmpty()) {
            return List.of(new Drift("attachment " + request.key(), "an address assigned by ipamd", "no record"));
        }
        var drifts = new ArrayList<Drift>();
        var prev = request.prevResult();
        if (prev != null && prev.firstIp() != null && !prev.firstIp().equals(allocation.get().ipv4Text())) {
            drifts.add(new Drift("prevResult address of " + request.key(), allocation.get().ipv4Text(), prev.firstIp()));
        }
        drifts.addAll(wiring.check(request, allocation.get()));
        return drifts;
    }

    /**
     * One pod's wiring as CHECK sees it. {@code checked} is "host+pod" when the pod's namespace is known (from its ADD
     * or CHECK since this daemon started), else "host": its host side only.
     */
    public record Inspection(String veth, String checked, List<Drift> drifts) {
    }

    /**
     * CHECK of every allocation, for introspection: the host side of all from one reading of the host, the pod side of
     * those whose namespace is known. It takes no attachment's lock, so it never delays a pod's call; a pod torn down
     * meanwhile may show a passing drift.
     */
    public List<Inspection> inspect(List<Allocation> allocations) {
        var hostSide = wiring.checkHostSide(allocations);
        var out = new ArrayList<Inspection>(allocations.size());
        for (var i = 0; i < allocations.size(); i++) {
            var allocation = allocations.get(i);
            var netns = namespaces.get(allocation.key());
            if (netns == null || netns.isEmpty()) {
                out.add(new Inspection(hostSide.get(i).veth(), "host", hostSide.get(i).drifts()));
                continue;
            }
            var request = new PodNetworkRequest(allocation.key(), allocation.pod(), netns, null, null);
            out.add(new Inspection(hostSide.get(i).veth(), "host+pod", wiring.check(request, allocation)));
        }
        return out;
    }

    public record GcOutcome(int released, List<String> errors) {
    }

    /**
     * Releases every attachment of {@code networkName} not in {@code valid}, then sweeps wiring that belongs to
     * no attachment of any network.
     */
    public GcOutcome collectGarbage(String networkName, Set<AttachmentKey> valid) {
        var errors = new ArrayList<String>();
        var released = 0;
        for (var allocation : allocator.allocations(networkName)) {
            if (valid.contains(allocation.key())) {
                continue;
            }
            var request = new PodNetworkRequest(allocation.key(), allocation.pod(), "", null, null);
            try {
                if (del(request, Caller.PATIENT).isPresent()) {
                    released++;
                    log.info("GC released {} of {} ({})", allocation.ipv4Text(), allocation.key(), allocation.pod());
                }
            } catch (RuntimeException e) {
                errors.add("attachment " + allocation.key() + " (" + allocation.ipv4Text() + "): " + e.getMessage());
            }
        }
        errors.addAll(wiring.removeStale(allocator.allocations(null)));
        return new GcOutcome(released, errors);
    }
}
