package io.vpccni.ipamd.pool;

import java.util.List;
import java.util.Optional;

/**
 * The allocator used when this daemon has no IP pool to offer. It holds nothing and refuses every ADD
 * with a reason, so the node reports not-ready instead of pretending to hand out addresses.
 */
public final class UnavailableAllocator implements IpAllocator {
    private final String reason;

    public UnavailableAllocator(String reason) {
        this.reason = reason;
    }

    @Override
    public Assignment assign(AttachmentKey key, PodIdentity pod) {
        throw new PoolException(PoolException.Reason.NOT_READY, reason);
    }

    @Override
    public Optional<Allocation> release(AttachmentKey key) {
        return Optional.empty();
    }

    @Override
    public Optional<Allocation> find(AttachmentKey key) {
        return Optional.empty();
    }

    @Override
    public Optional<Allocation> holderOf(java.net.Inet4Address ip) {
        return Optional.empty();
    }

    @Override
    public List<Allocation> allocations(String networkName) {
        return List.of();
    }

    @Override
    public PoolStatus status() {
        return PoolStatus.notReady(reason);
    }
}
