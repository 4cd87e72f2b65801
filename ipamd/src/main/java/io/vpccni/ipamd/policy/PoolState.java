package io.vpccni.ipamd.policy;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;

/**
 * A snapshot of the node's pool: everything the policy decides on, time included.
 *
 * @param enis          the ENIs the daemon manages (unmanaged ENIs are not listed)
 * @param maxPods       the node's pod capacity; the pool never grows once it holds this many addresses
 * @param now           the instant of the snapshot; the policy reads no clock
 * @param lastDecrease  when addresses were last released to EC2 ({@link Instant#EPOCH} if never)
 * @param unschedulable the node carries the {@code node.kubernetes.io/unschedulable} taint (cordoned)
 * @param unpooledEnis  ENIs attached to the instance outside the pool (tagged no_manage, trunk, EFA, other network
 *                      cards, another controller's): they give no addresses but hold attachment slots
 */
public record PoolState(List<EniState> enis, int maxPods, Instant now, Instant lastDecrease, boolean unschedulable,
                        int unpooledEnis) {
    /** A node with no ENIs outside the pool. */
    public PoolState(List<EniState> enis, int maxPods, Instant now, Instant lastDecrease, boolean unschedulable) {
        this(enis, maxPods, now, lastDecrease, unschedulable, 0);
    }

    public PoolState {
        if (unpooledEnis < 0) {
            throw new IllegalArgumentException("unpooledEnis=" + unpooledEnis + " must not be negative");
        }
        enis = List.copyOf(enis);
        if (now == null || lastDecrease == null) {
            throw new IllegalArgumentException("pool state needs now and lastDecrease (Instant.EPOCH if never)");
        }
        if (maxPods < 0) {
            throw new IllegalArgumentException("maxPods=" + maxPods + " must not be negative");
        }
        var ids = new HashSet<String>();
        for (var eni : enis) {
            if (!ids.add(eni.eniId())) {
                throw new IllegalArgumentException("ENI " + eni.eniId() + " is listed twice in the pool state");
            }
        }
    }

    public PoolState withUnpooledEnis(int count) {
        return new PoolState(enis, maxPods, now, lastDecrease, unschedulable, count);
    }

    /** Every ENI attached to the instance: the pool's and the others. */
    public int attachedEnis() {
        return enis.size() + unpooledEnis;
    }
}
