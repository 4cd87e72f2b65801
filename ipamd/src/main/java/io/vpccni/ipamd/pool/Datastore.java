package io.vpccni.ipamd.pool;

import io.vpccni.ipamd.net.IpPrefix;

import java.net.Inet4Address;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The node's ENIs, their CIDRs and which attachment holds which address. In memory only: every change
 * returns a version, and the caller makes that version durable (see {@link PooledAllocator}) outside the
 * lock, so no lock is ever held across I/O.
 *
 * <p>Allocation order is deterministic: ENIs by device number, then CIDRs by address, then the lowest
 * address that is neither assigned nor cooling down. (Upstream picks by map iteration order.) Filling low
 * devices first keeps high-numbered ENIs empty, so they can be released. Prefix-delegation mode assigns
 * only from /28 prefixes, secondary-IP mode only from /32s.
 */
public final class Datastore {
    /** ENIs younger than this are never deleted: a fresh ENI is about to be used. */
    public static final Duration MIN_ENI_LIFETIME = Duration.ofMinutes(1);
    /** How long the node reconcile leaves alone an ENI or CIDR the daemon changed itself (upstream: 60 s). */
    public static final Duration RECONCILE_COOLDOWN = Duration.ofSeconds(60);

    private final Clock clock;
    private final Duration cooldown;
    private final boolean prefixMode;
    private final ReentrantLock lock = new ReentrantLock();
    private final TreeMap<Integer, EniEntry> enisByDevice = new TreeMap<>();
    private final Map<String, EniEntry> enisById = new HashMap<>();
    private final Map<AttachmentKey, AddressSlot> assignments = new LinkedHashMap<>();
    private final Map<Inet4Address, AddressSlot> slots = new HashMap<>();
    /** Released slots that may still be cooling, so snapshots need not scan every slot. */
    private final java.util.Set<AddressSlot> released = new java.util.HashSet<>();
    /** ENIs attached to the instance that the pool does not use: they hold attachment slots all the same. */
    private final Map<String, UnpooledEni> unpooled = new LinkedHashMap<>();
    private final OwnChanges own = new OwnChanges(RECONCILE_COOLDOWN);
    /**
     * Assigned addresses whose CIDR left the pool because EC2 no longer gives it to the node: in no CIDR, so never
     * handed out, but still their pod's until its DEL (see {@link #forceRemoveCidr}).
     */
    private final Map<Inet4Address, AddressSlot> orphans = new HashMap<>();
    private long version;
    /** What an ADD that finds no address is told about the pool's growth (the pool manager keeps it current). */
    private volatile String growth = GROWING;
    public static final String GROWING = "the pool is growing";

    private static final class EniEntry {
        EniInfo info;
        boolean excluded;
        final TreeMap<Integer, CidrBlock> cidrs = new TreeMap<>(Integer::compareUnsigned);

        EniEntry(EniInfo info) {
            this.info = info;
        }
    }

    public Datastore(Clock clock, Duration cooldown, boolean prefixMode) {
        this.clock = clock;
        this.cooldown = cooldown;
        this.prefixMode = prefixMode;
    }

    public boolean prefixMode() {
        return prefixMode;
    }

    /** Says why the pool cannot grow now (a cordon, an ENIConfig to fix, a full subnet), or null when it can. */
    public void growthBlocked(String why) {
        growth = why == null ? GROWING : "the pool cannot grow: " + why;
    }

    // ---- ENIs and CIDRs

    public void addEni(EniInfo info) {
        lock.lock();
        try {
            if (enisById.containsKey(info.eniId())) {
                enisById.get(info.eniId()).info = info;
                return;
            }
            if (enisByDevice.containsKey(info.deviceNumber())) {
                throw new IllegalStateException("device " + info.deviceNumber() + " is already held by "
                        + enisByDevice.get(info.deviceNumber()).info.eniId() + "; cannot add " + info.eniId());
            }
            var entry = new EniEntry(info);
            enisById.put(info.eniId(), entry);
            enisByDevice.put(info.deviceNumber(), entry);
            unpooled.remove(info.eniId());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds a new ENI together with its CIDRs in one step: a pod is never given an address on an ENI that is only
     * partly recorded, so a caller whose later step fails can take the ENI back out whole.
     *
     * @param excluded whether new pods stay off it from the start
     * @throws IllegalStateException when the ENI, its device number or one of its addresses is already held
     */
    public void addEni(EniInfo info, List<IpPrefix> cidrs, boolean prefix, boolean excluded) {
        lock.lock();
        try {
            var blocks = new ArrayList<CidrBlock>();
            for (var cidr : cidrs) {
                blocks.add(new CidrBlock(cidr, prefix));
            }
            join(info, blocks, excluded);
            // EC2's Describe calls may not show the new ENI or its addresses for a while: the reconcile must wait.
            var now = clock.instant();
            own.eni(info.eniId(), now);
            cidrs.forEach(c -> own.cidr(c, now));
        } finally {
            lock.unlock();
        }
    }

    /** Adds an ENI not yet in the pool with its CIDRs, all or nothing. Under the lock. */
    private void join(EniInfo info, List<CidrBlock> blocks, boolean excluded) {
        if (enisById.containsKey(info.eniId())) {
            throw new IllegalStateException(info.eniId() + " is already in the pool");
        }
        if (enisByDevice.containsKey(info.deviceNumber())) {
            throw new IllegalStateException("device " + info.deviceNumber() + " is already held by "
                    + enisByDevice.get(info.deviceNumber()).info.eniId() + "; cannot add " + info.eniId());
        }
        var adding = new HashMap<Inet4Address, AddressSlot>();
        for (var block : blocks) {
            for (var slot : block.slots) {
                if (held(slot.ip) || adding.put(slot.ip, slot) != null) {
                    throw new IllegalStateException(block.cidr + " of " + info.eniId() + " overlaps an address already held by this node");
                }
            }
        }
        var entry = new EniEntry(info);
        entry.excluded = excluded;
        for (var block : blocks) {
            place(entry, block);
        }
        enisById.put(info.eniId(), entry);
        enisByDevice.put(info.deviceNumber(), entry);
        unpooled.remove(info.eniId());
    }

    /** Whether a CIDR of the pool holds {@code ip}; an orphaned address is held by none. */
    private boolean held(Inet4Address ip) {
        return slots.containsKey(ip) && !orphans.containsKey(ip);
    }

    /**
     * Puts a checked block on an ENI. An orphaned address it contains (EC2 gives it back) is taken over with its
     * assignment: the pod that never let go of it keeps it, and no second pod is given it.
     */
    private void place(EniEntry eni, CidrBlock block) {
        for (var i = 0; i < block.slots.length; i++) {
            var orphan = orphans.remove(block.slots[i].ip);
            if (orphan != null) {
                block.slots[i] = orphan;
            }
            slots.put(block.slots[i].ip, block.slots[i]);
        }
        eni.cidrs.put(CidrBlock.toInt(block.cidr.address().getAddress()), block);
    }

    /** Stops (or resumes) new assignments on an ENI, e.g. when another network manager owns it. */
    public void setExcluded(String eniId, boolean excluded) {
        lock.lock();
        try {
            eni(eniId).excluded = excluded;
        } finally {
            lock.unlock();
        }
    }

    public void addCidr(String eniId, IpPrefix cidr, boolean prefix) {
        lock.lock();
        try {
            var eni = eni(eniId);
            var key = CidrBlock.toInt(cidr.address().getAddress());
            if (eni.cidrs.containsKey(key)) {
                return;
            }
            var block = new CidrBlock(cidr, prefix);
            for (var s : block.slots) {
                if (held(s.ip)) {
                    throw new IllegalStateException(cidr + " overlaps an address already held by this node");
                }
            }
            place(eni, block);
        } finally {
            lock.unlock();
        }
    }

    /** Removes a CIDR none of whose addresses is assigned or cooling. @throws IllegalStateException otherwise */
    public void removeCidr(String eniId, IpPrefix cidr) {
        lock.lock();
        try {
            var eni = eni(eniId);
            var block = eni.cidrs.get(CidrBlock.toInt(cidr.address().getAddress()));
            if (block == null) {
                return;
            }
            var now = clock.instant();
            for (var s : block.slots) {
                if (s.assigned != null || s.cooling(now, cooldown)) {
                    throw new IllegalStateException(cidr + " on " + eniId + " is still " + (s.assigned != null
                            ? "assigned (" + s.ip.getHostAddress() + " to " + s.assigned.key() + ")" : "cooling down"));
                }
            }
            eni.cidrs.remove(CidrBlock.toInt(cidr.address().getAddress()));
            for (var s : block.slots) {
                slots.remove(s.ip);
                released.remove(s);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes up to {@code count} CIDRs of one kind off an ENI, each with no address assigned or cooling, in one step
     * under the lock: from then on no pod can be given one of their addresses, and no address a pod holds is among
     * them. The caller gives them back to EC2, or with {@link #putBack} to the pool.
     */
    public List<IpPrefix> takeReleasable(String eniId, int count, boolean prefix) {
        lock.lock();
        try {
            var eni = eni(eniId);
            var now = clock.instant();
            var taken = new ArrayList<IpPrefix>();
            for (var it = eni.cidrs.values().iterator(); it.hasNext() && taken.size() < count; ) {
                var block = it.next();
                if (block.prefix != prefix || busy(block, now)) {
                    continue;
                }
                it.remove();
                for (var s : block.slots) {
                    slots.remove(s.ip);
                    released.remove(s);
                }
                taken.add(block.cidr);
                own.cidr(block.cidr, now);  // in the same step: no reconcile can re-add it while EC2 still lists it
            }
            return taken;
        } finally {
            lock.unlock();
        }
    }

    /** Returns CIDRs {@link #takeReleasable} took that EC2 did not release after all. */
    public void putBack(String eniId, List<IpPrefix> cidrs, boolean prefix) {
        lock.lock();
        try {
            var now = clock.instant();
            for (var cidr : cidrs) {
                addCidr(eniId, cidr, prefix);
                own.cidr(cidr, now);
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean busy(CidrBlock block, Instant now) {
        for (var s : block.slots) {
            if (s.assigned != null || s.cooling(now, cooldown)) {
                return true;
            }
        }
        return false;
    }

    // ---- ENIs outside the pool

    /**
     * An ENI attached to the instance that the pool does not use, and why (tagged no_manage, a trunk or EFA ENI,
     * on another network card, attached by someone else, or one the daemon failed to detach).
     */
    public record UnpooledEni(String eniId, int networkCard, int deviceNumber, String reason) {
        /** Why an ENI the daemon is attaching is outside the pool until it joins it. */
        public static final String ATTACHING = "the daemon is attaching it and setting it up";
        /** Why an ENI the daemon is taking off the node is outside the pool until it is gone. */
        public static final String REMOVING = "the daemon is detaching and deleting it";

        /** Whether the daemon itself is attaching or removing it right now. */
        public boolean inDaemonHands() {
            return ATTACHING.equals(reason) || REMOVING.equals(reason);
        }
    }

    /** Records (or updates) an attached ENI the pool does not use. */
    public void recordUnpooled(UnpooledEni eni) {
        lock.lock();
        try {
            if (!enisById.containsKey(eni.eniId())) {
                unpooled.put(eni.eniId(), eni);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The ENI is no longer attached (or joined the pool). */
    public void forgetUnpooled(String eniId) {
        lock.lock();
        try {
            unpooled.remove(eniId);
        } finally {
            lock.unlock();
        }
    }

    /** The attached ENIs the pool does not use, in the order first recorded. */
    public List<UnpooledEni> unpooledEnis() {
        lock.lock();
        try {
            return List.copyOf(unpooled.values());
        } finally {
            lock.unlock();
        }
    }

    /** Removes a deletable ENI (see {@link #deletable}). @throws IllegalStateException naming why it is not */
    public void removeEni(String eniId) {
        lock.lock();
        try {
            var eni = eni(eniId);
            var why = whyNotDeletable(eni, clock.instant());
            if (why != null) {
                throw new IllegalStateException(eniId + " cannot be removed: " + why);
            }
            for (var block : eni.cidrs.values()) {
                for (var s : block.slots) {
                    slots.remove(s.ip);
                    released.remove(s);
                }
            }
            enisById.remove(eniId);
            enisByDevice.remove(eni.info.deviceNumber());
            own.eni(eniId, clock.instant());  // still attached until the remover detaches it: not a new ENI to adopt
        } finally {
            lock.unlock();
        }
    }

    public boolean deletable(String eniId) {
        lock.lock();
        try {
            return whyNotDeletable(eni(eniId), clock.instant()) == null;
        } finally {
            lock.unlock();
        }
    }

    private String whyNotDeletable(EniEntry eni, Instant now) {
        if (eni.info.primary()) {
            return "it is the primary ENI";
        }
        if (eni.info.trunk()) {
            return "it is the trunk ENI";
        }
        if (eni.info.efa()) {
            return "it is an EFA interface";
        }
        if (now.isBefore(eni.info.createdAt().plus(MIN_ENI_LIFETIME))) {
            return "it is younger than " + MIN_ENI_LIFETIME.toSeconds() + " s";
        }
        for (var block : eni.cidrs.values()) {
            for (var s : block.slots) {
                if (s.assigned != null) {
                    return "pod address " + s.ip.getHostAddress() + " is assigned to " + s.assigned.key();
                }
                if (s.cooling(now, cooldown)) {
                    return "address " + s.ip.getHostAddress() + " is cooling down";
                }
            }
        }
        return null;
    }

    private EniEntry eni(String eniId) {
        var eni = enisById.get(eniId);
        if (eni == null) {
            throw new IllegalArgumentException("unknown ENI " + eniId);
        }
        return eni;
    }

    // ---- staying in step with EC2 (the node reconcile)

    /** The ENIs and CIDRs the daemon changed itself within {@link #RECONCILE_COOLDOWN}: the reconcile leaves them alone. */
    public record OwnChangeView(Set<String> enis, Set<IpPrefix> cidrs) {
    }

    public OwnChangeView ownChanges() {
        lock.lock();
        try {
            return own.view(clock.instant());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Records CIDRs the daemon itself just got from EC2 for an ENI (or is about to give back), so that for
     * {@link #RECONCILE_COOLDOWN} the reconcile neither drops them because a lagging IMDS or EC2 does not list them
     * yet, nor re-adds them because one still does. Call it before the CIDRs enter (or leave) the pool.
     */
    public void noteOwnChange(Collection<IpPrefix> cidrs) {
        lock.lock();
        try {
            var now = clock.instant();
            cidrs.forEach(c -> own.cidr(c, now));
        } finally {
            lock.unlock();
        }
    }

    /** Records an ENI the daemon itself attached or took off the node: the reconcile leaves it alone for a while. */
    public void noteOwnEniChange(String eniId) {
        lock.lock();
        try {
            own.eni(eniId, clock.instant());
        } finally {
            lock.unlock();
        }
    }

    /**
     * The daemon is about to attach {@code eniId}: until it joins the pool ({@link #addEni(EniInfo, List, boolean, boolean)})
     * or the daemon takes it off the node again, it is attached outside the pool, and the reconcile does not take it for
     * one someone else attached, however long its set-up takes.
     */
    public void attaching(String eniId, int deviceNumber) {
        lock.lock();
        try {
            unpooled.put(eniId, new UnpooledEni(eniId, 0, deviceNumber, UnpooledEni.ATTACHING));
            own.eni(eniId, clock.instant());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds a CIDR EC2 gives an ENI of the pool that the daemon did not ask for (a /28 is a prefix, a /32 a secondary
     * address).
     *
     * @return false when left alone: the ENI is not in the pool, the CIDR is there already, or the daemon itself
     *         changed it within {@link #RECONCILE_COOLDOWN} (then EC2 may still list what the daemon just gave back)
     * @throws IllegalStateException when another ENI of the pool holds one of its addresses
     */
    public boolean addFoundCidr(String eniId, IpPrefix cidr) {
        lock.lock();
        try {
            var eni = enisById.get(eniId);
            if (eni == null || own.recentCidr(cidr, clock.instant())
                    || eni.cidrs.containsKey(CidrBlock.toInt(cidr.address().getAddress()))) {
                return false;
            }
            addCidr(eniId, cidr, cidr.length() == 28);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes a CIDR EC2 no longer gives the ENI out of the pool, even when pods hold addresses of it: from now on none
     * of its addresses is handed out. A pod holding one keeps its assignment, orphaned (in no CIDR of the pool): its DEL
     * still finds what to tear down, and should EC2 give the address back, it returns to the pool as that pod's, not
     * as a free address for a second pod.
     *
     * @return the assignments whose address left the pool; empty when nothing was removed: the ENI or the CIDR is not
     *         in the pool, or the daemon itself changed the CIDR within {@link #RECONCILE_COOLDOWN}
     */
    public Optional<List<Allocation>> forceRemoveCidr(String eniId, IpPrefix cidr) {
        lock.lock();
        try {
            var eni = enisById.get(eniId);
            var key = CidrBlock.toInt(cidr.address().getAddress());
            if (eni == null || !eni.cidrs.containsKey(key) || own.recentCidr(cidr, clock.instant())) {
                return Optional.empty();
            }
            return Optional.of(drop(eni.cidrs.remove(key)));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes an ENI that is no longer attached out of the pool with all its CIDRs, orphaning the assignments on it as
     * {@link #forceRemoveCidr} does.
     *
     * @return the assignments whose address left the pool; empty when nothing was removed: the ENI is not in the pool,
     *         it is the primary ENI (which is never detached; a view without it is not of this node), or the daemon
     *         itself attached it within {@link #RECONCILE_COOLDOWN}
     */
    public Optional<List<Allocation>> forceRemoveEni(String eniId) {
        lock.lock();
        try {
            var eni = enisById.get(eniId);
            if (eni == null || eni.info.primary() || own.recentEni(eniId, clock.instant())) {
                return Optional.empty();
            }
            var lost = new ArrayList<Allocation>();
            for (var block : eni.cidrs.values()) {
                lost.addAll(drop(block));
            }
            enisById.remove(eniId);
            enisByDevice.remove(eni.info.deviceNumber());
            return Optional.of(lost);
        } finally {
            lock.unlock();
        }
    }

    /** Forgets a block's free and cooling addresses and orphans its assigned ones. Under the lock. */
    private List<Allocation> drop(CidrBlock block) {
        var lost = new ArrayList<Allocation>();
        for (var s : block.slots) {
            if (s.assigned != null) {
                orphans.put(s.ip, s);
                lost.add(s.assigned);
            } else {
                slots.remove(s.ip);
                released.remove(s);
            }
        }
        return lost;
    }

    /**
     * Adds an ENI someone else attached, with whatever CIDRs EC2 gives it (/28 prefixes and /32 secondary addresses),
     * all at once, after its host side is ready.
     *
     * @param excluded whether new pods stay off it (the ownership guard refused it)
     * @throws IllegalStateException when the ENI, its device or one of its addresses is already held, or the daemon is
     *                               attaching or removing it itself
     */
    public void addFoundEni(EniInfo info, List<IpPrefix> cidrs, boolean excluded) {
        lock.lock();
        try {
            var known = unpooled.get(info.eniId());
            if (known != null && known.inDaemonHands()) {
                throw new IllegalStateException(info.eniId() + " is not one someone else attached: " + known.reason());
            }
            var blocks = new ArrayList<CidrBlock>();
            for (var cidr : cidrs) {
                blocks.add(new CidrBlock(cidr, cidr.length() == 28));
            }
            join(info, blocks, excluded);
        } finally {
            lock.unlock();
        }
    }

    /** The assignments whose address EC2 took away while their pod still holds it. */
    public List<Allocation> orphaned() {
        lock.lock();
        try {
            return orphans.values().stream().filter(s -> s.assigned != null).map(s -> s.assigned).toList();
        } finally {
            lock.unlock();
        }
    }

    // ---- assignments

    /** A change to the assignments, and the version a durable checkpoint must reach to cover it. */
    public record Change(Allocation allocation, boolean fresh, long version) {
    }

    /**
     * Assigns the lowest free address to {@code key}, or returns the one it holds.
     *
     * @throws PoolException EXHAUSTED when no ENI has a free address
     */
    public Change assign(AttachmentKey key, PodIdentity pod) {
        return assign(key, pod, "");
    }

    /** As {@link #assign(AttachmentKey, PodIdentity)}, recording the pod's host veth with the assignment. */
    public Change assign(AttachmentKey key, PodIdentity pod, String hostVeth) {
        lock.lock();
        try {
            var held = assignments.get(key);
            if (held != null) {
                return new Change(held.assigned, false, version);
            }
            var now = clock.instant();
            for (var eni : enisByDevice.values()) {
                if (eni.excluded) {
                    continue;
                }
                for (var block : eni.cidrs.values()) {
                    if (block.prefix != prefixMode) {
                        continue;
                    }
                    for (var s : block.slots) {
                        if (s.free(now, cooldown)) {
                            var allocation = new Allocation(key, pod, s.ip, eni.info.deviceNumber(), eni.info.routeTableId(), hostVeth);
                            s.assigned = allocation;
                            s.assignedAt = now;
                            s.releasedAt = null;
                            released.remove(s);
                            assignments.put(key, s);
                            return new Change(allocation, true, ++version);
                        }
                    }
                }
            }
            throw new PoolException(PoolException.Reason.EXHAUSTED, "no free " + (prefixMode ? "prefix " : "")
                    + "address on any ENI (" + assignments.size() + " assigned); " + growth);
        } finally {
            lock.unlock();
        }
    }

    /** Takes back an assignment that never became durable: the address is free at once, with no cooldown. */
    public long undoAssign(Allocation allocation) {
        lock.lock();
        try {
            var s = assignments.get(allocation.key());
            if (s != null && s.assigned.equals(allocation)) {
                assignments.remove(allocation.key());
                s.assigned = null;
                s.assignedAt = null;
            }
            return ++version;
        } finally {
            lock.unlock();
        }
    }

    /** Releases the address of {@code key}: empty when the key holds none (DEL of an unknown pod is no error). */
    public Optional<Change> unassign(AttachmentKey key) {
        lock.lock();
        try {
            var s = assignments.remove(key);
            if (s == null) {
                return Optional.empty();
            }
            var allocation = s.assigned;
            s.assigned = null;
            s.releasedAt = clock.instant();
            s.releasePending = true;
            released.add(s);
            return Optional.of(new Change(allocation, true, ++version));
        } finally {
            lock.unlock();
        }
    }

    /** The release is durable: the address now only has to cool down. */
    public void confirmRelease(Allocation allocation) {
        lock.lock();
        try {
            var s = slots.get(allocation.ipv4());
            if (s != null) {
                s.releasePending = false;
            }
        } finally {
            lock.unlock();
        }
    }

    /** A release whose checkpoint failed: the attachment holds its address again. */
    public long undoUnassign(Allocation allocation, Instant assignedAt) {
        lock.lock();
        try {
            var s = slots.get(allocation.ipv4());
            if (s != null && s.assigned == null) {
                s.assigned = allocation;
                s.assignedAt = assignedAt;
                s.releasedAt = null;
                s.releasePending = false;
                released.remove(s);
                assignments.put(allocation.key(), s);
            }
            return ++version;
        } finally {
            lock.unlock();
        }
    }

    public Optional<Allocation> find(AttachmentKey key) {
        lock.lock();
        try {
            var s = assignments.get(key);
            return s == null ? Optional.empty() : Optional.of(s.assigned);
        } finally {
            lock.unlock();
        }
    }

    public Optional<Allocation> holderOf(Inet4Address ip) {
        lock.lock();
        try {
            var s = slots.get(ip);
            return s == null || s.assigned == null ? Optional.empty() : Optional.of(s.assigned);
        } finally {
            lock.unlock();
        }
    }

    Instant assignedAt(AttachmentKey key) {
        lock.lock();
        try {
            var s = assignments.get(key);
            return s == null ? null : s.assignedAt;
        } finally {
            lock.unlock();
        }
    }

    public List<Allocation> allocations(String networkName) {
        lock.lock();
        try {
            var out = new ArrayList<Allocation>();
            for (var s : assignments.values()) {
                if (networkName == null || s.assigned.key().networkName().equals(networkName)) {
                    out.add(s.assigned);
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    // ---- views

    /** Per ENI: what the warm-pool policy and the introspection endpoint need. */
    public record EniUsage(EniInfo info, boolean excluded, List<IpPrefix> cidrs, int totalIps, int assignedIps, int coolingIps,
                           int prefixes, int freePrefixes) {
    }

    public List<EniUsage> usage() {
        lock.lock();
        try {
            var now = clock.instant();
            var out = new ArrayList<EniUsage>(enisByDevice.size());
            for (var eni : enisByDevice.values()) {
                int total = 0, assigned = 0, cooling = 0, prefixes = 0, freePrefixes = 0;
                var cidrs = new ArrayList<IpPrefix>();
                for (var block : eni.cidrs.values()) {
                    cidrs.add(block.cidr);
                    if (block.prefix != prefixMode) {
                        continue;  // the other mode's CIDRs hold no assignable addresses
                    }
                    var blockBusy = false;
                    for (var s : block.slots) {
                        total++;
                        if (s.assigned != null) {
                            assigned++;
                            blockBusy = true;
                        } else if (s.cooling(now, cooldown)) {
                            cooling++;
                            blockBusy = true;
                        }
                    }
                    if (block.prefix) {
                        prefixes++;
                        if (!blockBusy) {
                            freePrefixes++;
                        }
                    }
                }
                out.add(new EniUsage(eni.info, eni.excluded, cidrs, total, assigned, cooling, prefixes, freePrefixes));
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Every ENI of the pool with its CIDRs and their used addresses, by device number. */
    public List<EniDetail> describe() {
        lock.lock();
        try {
            var out = new ArrayList<EniDetail>(enisByDevice.size());
            for (var eni : enisByDevice.values()) {
                var cidrs = new ArrayList<EniDetail.Cidr>();
                for (var block : eni.cidrs.values()) {
                    var addresses = new ArrayList<EniDetail.Address>();
                    for (var s : block.slots) {
                        if (s.assigned != null || s.releasedAt != null) {
                            addresses.add(new EniDetail.Address(s.ip, s.assigned, s.assignedAt, s.releasedAt));
                        }
                    }
                    cidrs.add(new EniDetail.Cidr(block.cidr, block.prefix, addresses));
                }
                out.add(new EniDetail(eni.info, eni.excluded, cidrs));
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** CIDRs on {@code eniId} that could be released now: no address assigned or cooling. */
    public List<IpPrefix> releasableCidrs(String eniId) {
        lock.lock();
        try {
            var now = clock.instant();
            var out = new ArrayList<IpPrefix>();
            for (var block : eni(eniId).cidrs.values()) {
                var busy = false;
                for (var s : block.slots) {
                    busy |= s.assigned != null || s.cooling(now, cooldown);
                }
                if (!busy) {
                    out.add(block.cidr);
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** One assignment as the checkpoint records it. */
    public record Assigned(Allocation allocation, Instant assignedAt) {
    }

    /** An address released at {@code releasedAt} and still cooling down. */
    public record Cooling(Inet4Address ip, Instant releasedAt) {
    }

    /** Every assignment (in assignment order) and every cooling address, and the version they represent. */
    public record Snapshot(long version, List<Assigned> assignments, List<Cooling> cooling) {
    }

    public Snapshot snapshot() {
        lock.lock();
        try {
            var out = new ArrayList<Assigned>(assignments.size());
            for (var s : assignments.values()) {
                out.add(new Assigned(s.assigned, s.assignedAt));
            }
            var now = clock.instant();
            var cooling = new ArrayList<Cooling>();
            for (var it = released.iterator(); it.hasNext(); ) {
                var s = it.next();
                if (s.cooling(now, cooldown)) {
                    cooling.add(new Cooling(s.ip, s.releasedAt));
                } else {
                    it.remove();
                    if (orphans.remove(s.ip) != null) {
                        slots.remove(s.ip);  // its pod let go and it has cooled: nothing remembers it any more
                    }
                }
            }
            cooling.sort(Comparator.comparing((Cooling c) -> CidrBlock.toInt(c.ip().getAddress()), Integer::compareUnsigned));
            return new Snapshot(version, out, cooling);
        } finally {
            lock.unlock();
        }
    }

    /** Restores a release from before a restart, so the address still waits out its cooldown. */
    public void restoreCooling(Inet4Address ip, Instant releasedAt) {
        lock.lock();
        try {
            var s = slots.get(ip);
            if (s != null && s.assigned == null) {
                s.releasedAt = releasedAt;
                released.add(s);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Puts a checkpointed assignment back on the address that now carries it.
     *
     * @return null when restored, else why it was dropped
     */
    public String restore(Allocation wanted, Instant assignedAt) {
        lock.lock();
        try {
            var s = slots.get(wanted.ipv4());
            if (s == null) {
                return "address " + wanted.ipv4().getHostAddress() + " is on none of this node's ENIs";
            }
            if (s.assigned != null) {
                return "address " + wanted.ipv4().getHostAddress() + " is already restored for " + s.assigned.key();
            }
            if (assignments.containsKey(wanted.key())) {
                return "attachment " + wanted.key() + " already holds " + assignments.get(wanted.key()).ip.getHostAddress();
            }
            var eni = eniHolding(s);
            var allocation = new Allocation(wanted.key(), wanted.pod(), s.ip, eni.info.deviceNumber(), eni.info.routeTableId(),
                    wanted.hostVeth());
            s.assigned = allocation;
            s.assignedAt = assignedAt;
            assignments.put(wanted.key(), s);
            version++;
            return null;
        } finally {
            lock.unlock();
        }
    }

    private EniEntry eniHolding(AddressSlot slot) {
        var ip = CidrBlock.toInt(slot.ip.getAddress());
        for (var eni : enisByDevice.values()) {
            var floor = eni.cidrs.floorEntry(ip);
            if (floor != null && Integer.compareUnsigned(ip, floor.getKey() + floor.getValue().slots.length) < 0) {
                return eni;
            }
        }
        throw new IllegalStateException("address " + slot.ip.getHostAddress() + " has a slot but no ENI");
    }
}
