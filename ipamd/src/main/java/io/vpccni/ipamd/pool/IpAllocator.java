package io.vpccni.ipamd.pool;

import java.util.List;
import java.util.Optional;

/**
 * The IP pool as the RPC front door sees it. Implementations keep every assignment durable before
 * returning, so an answer to the plugin never precedes the checkpoint.
 */
public interface IpAllocator {
    /**
     * Assigns an address to {@code key}, or returns the one it already holds, recording the pod's host veth.
     *
     * @throws PoolException when no address can be handed out now
     */
    Assignment assign(AttachmentKey key, PodIdentity pod, String hostVeth);

    /** An assignment whose host veth is not recorded (pool-level callers). */
    default Assignment assign(AttachmentKey key, PodIdentity pod) {
        return assign(key, pod, "");
    }

    /** Releases the address held by {@code key}; empty when the key holds none (not an error: DEL is idempotent). */
    Optional<Allocation> release(AttachmentKey key);

    Optional<Allocation> find(AttachmentKey key);

    /** Which attachment holds {@code ip}, on any network. */
    Optional<Allocation> holderOf(java.net.Inet4Address ip);

    /** Every attachment currently holding an address on {@code networkName}. */
    List<Allocation> allocations(String networkName);

    PoolStatus status();
}
