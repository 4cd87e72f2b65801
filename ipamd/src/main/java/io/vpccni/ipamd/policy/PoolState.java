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
 */
public record PoolState(List<EniState> enis, int maxPods, Instant now, Instant lastDecrease, boolean unschedulable) {
    public PoolState {
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
}
