package io.vpccni.ipamd.pool;

import io.vpccni.ipamd.checkpoint.Checkpoint;
import io.vpccni.ipamd.checkpoint.CheckpointEntry;
import io.vpccni.ipamd.checkpoint.CheckpointException;
import io.vpccni.ipamd.checkpoint.CheckpointStore;
import io.vpccni.ipamd.checkpoint.GroupCommitter;
import io.vpccni.ipamd.checkpoint.VersionedSnapshot;
import io.vpccni.ipamd.net.IpPrefix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet4Address;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The IP pool the daemon serves from: the {@link Datastore} made durable through the checkpoint. No
 * answer leaves before the checkpoint holding its change is on disk; a change whose write failed is
 * undone and the call fails. Until {@link #restore} succeeds the pool refuses to hand out addresses,
 * because an address must never go to a second pod.
 */
public final class PooledAllocator implements IpAllocator {
    private static final Logger log = LoggerFactory.getLogger(PooledAllocator.class);

    private final Datastore datastore;
    private final CheckpointStore store;
    private final GroupCommitter committer;
    private volatile String notReady = "the IP pool is starting: the checkpoint has not been restored yet";
    private volatile Runnable onChange = () -> { };

    public PooledAllocator(Datastore datastore, CheckpointStore store) {
        this.datastore = datastore;
        this.store = store;
        this.committer = new GroupCommitter(store, this::snapshot);
    }

    public Datastore datastore() {
        return datastore;
    }

    /** Called after every assignment and release, e.g. to let the warm pool react at once. */
    public void onChange(Runnable listener) {
        this.onChange = listener;
    }

    /** Keeps the pool closed, before it was restored, for a reason the node can act on (e.g. IMDS unreachable). */
    public void holdClosed(String reason) {
        if (notReady != null) {
            notReady = reason;
        }
    }

    /** What restoring the checkpoint did: how many assignments came back, and each one dropped with its reason. */
    public record RestoreReport(int restored, List<String> dropped) {
    }

    /**
     * Restores the checkpoint onto the ENIs already in the datastore, keeping only assignments whose pod
     * wiring {@code stillWired} adopts (newest first), and rewrites it. On an unreadable checkpoint the pool stays closed and says why.
     */
    public RestoreReport restore(Predicate<Allocation> stillWired) {
        Optional<Checkpoint> checkpoint;
        try {
            checkpoint = store.load();
        } catch (CheckpointException e) {
            notReady = e.getMessage();
            log.error("IP pool closed: {}", e.getMessage());
            throw new PoolException(PoolException.Reason.NOT_READY, e.getMessage());
        }
        var dropped = new ArrayList<String>();
        var restored = 0;
        // Newest first: when two sandboxes of one pod are recorded, the veth is the newer one's (its ADD replaced
        // the older's), and the older one, which has no network left, must not take it over.
        var entries = new ArrayList<>(checkpoint.map(Checkpoint::allocations).orElse(List.of()));
        entries.sort(java.util.Comparator.comparingLong(CheckpointEntry::allocationTimestampNanos).reversed());
        for (var entry : entries) {
            if (entry.ipv4().isEmpty()) {
                dropped.add(entry.containerId() + ": IPv6 assignments are not served by this daemon");
                continue;
            }
            var key = new AttachmentKey(entry.networkName(), entry.containerId(), entry.ifName());
            var wanted = new Allocation(key, new PodIdentity(entry.podNamespace(), entry.podName(), "", ""),
                    IpPrefix.ipv4(entry.ipv4()), 0, 0, entry.hostVeth());
            var why = datastore.restore(wanted, instant(entry.allocationTimestampNanos()));
            // Judged on the restored allocation, which knows the ENI and route table the address lives on now.
            var placed = why == null ? datastore.find(key).orElseThrow() : null;
            if (placed != null && !stillWired.test(placed)) {
                datastore.undoAssign(placed);
                why = "the pod's veth no longer exists, or belongs to a newer sandbox of the pod";
            }
            if (why == null) {
                restored++;
            } else {
                dropped.add(key + " " + entry.ipv4() + ": " + why);
            }
        }
        for (var c : checkpoint.map(Checkpoint::cooling).orElse(List.of())) {
            datastore.restoreCooling(IpPrefix.ipv4(c.ipv4()), instant(c.releasedAtNanos()));
        }
        for (var d : dropped) {
            log.warn("checkpoint: dropped {}", d);
        }
        try {
            committer.awaitDurable(datastore.snapshot().version());
        } catch (CheckpointException e) {
            notReady = "cannot rewrite the checkpoint after restoring it: " + e.getMessage();
            throw new PoolException(PoolException.Reason.NOT_READY, notReady);
        }
        notReady = null;
        log.info("IP pool open: restored {} assignment(s), dropped {}", restored, dropped.size());
        return new RestoreReport(restored, dropped);
    }

    @Override
    public Assignment assign(AttachmentKey key, PodIdentity pod, String hostVeth) {
        requireReady();
        var change = datastore.assign(key, pod, hostVeth);
        if (change.fresh()) {
            try {
                committer.awaitDurable(change.version());
            } catch (CheckpointException e) {
                datastore.undoAssign(change.allocation());
                throw new PoolException(PoolException.Reason.NOT_DURABLE, "could not record the assignment of "
                        + change.allocation().ipv4Text() + " durably, so it was undone: " + e.getMessage());
            }
        }
        if (change.fresh()) {
            onChange.run();
        }
        return new Assignment(change.allocation(), change.fresh());
    }

    @Override
    public Optional<Allocation> release(AttachmentKey key) {
        requireReady();
        var assignedAt = datastore.assignedAt(key);
        var change = datastore.unassign(key);
        if (change.isEmpty()) {
            return Optional.empty();
        }
        var allocation = change.get().allocation();
        try {
            committer.awaitDurable(change.get().version());
        } catch (CheckpointException e) {
            datastore.undoUnassign(allocation, assignedAt);
            throw new PoolException(PoolException.Reason.NOT_DURABLE, "could not record the release of "
                    + allocation.ipv4Text() + " durably, so the pod keeps it: " + e.getMessage());
        }
        datastore.confirmRelease(allocation);
        onChange.run();
        return Optional.of(allocation);
    }

    private void requireReady() {
        var reason = notReady;
        if (reason != null) {
            throw new PoolException(PoolException.Reason.NOT_READY, reason);
        }
    }

    @Override
    public Optional<Allocation> find(AttachmentKey key) {
        return datastore.find(key);
    }

    @Override
    public Optional<Allocation> holderOf(Inet4Address ip) {
        return datastore.holderOf(ip);
    }

    @Override
    public List<Allocation> allocations(String networkName) {
        return datastore.allocations(networkName);
    }

    @Override
    public PoolStatus status() {
        var reason = notReady;
        if (reason != null) {
            return PoolStatus.notReady(reason);
        }
        int available = 0, assigned = 0;
        for (var u : datastore.usage()) {
            if (!u.excluded()) {
                available += u.totalIps() - u.assignedIps() - u.coolingIps();
            }
            assigned += u.assignedIps();
        }
        return new PoolStatus(true, "", available, assigned);
    }

    public long checkpointSaves() {
        return committer.saves();
    }

    private VersionedSnapshot snapshot() {
        var s = datastore.snapshot();
        var entries = new ArrayList<CheckpointEntry>(s.assignments().size());
        for (var a : s.assignments()) {
            var al = a.allocation();
            entries.add(new CheckpointEntry(al.key().networkName(), al.key().containerId(), al.key().ifName(), al.ipv4Text(), "",
                    nanos(a.assignedAt()), al.pod().namespace(), al.pod().name(), 1, al.hostVeth()));
        }
        var cooling = new ArrayList<Checkpoint.Released>(s.cooling().size());
        for (var c : s.cooling()) {
            cooling.add(new Checkpoint.Released(c.ip().getHostAddress(), nanos(c.releasedAt())));
        }
        return new VersionedSnapshot(s.version(), new Checkpoint(entries, cooling));
    }

    private static long nanos(Instant t) {
        return t == null ? 0 : t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
