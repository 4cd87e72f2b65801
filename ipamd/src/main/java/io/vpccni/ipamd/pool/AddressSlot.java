package io.vpccni.ipamd.pool;

import java.net.Inet4Address;
import java.time.Duration;
import java.time.Instant;

/**
 * One usable address of a CIDR: free, assigned to an attachment, or released and cooling down. A
 * release is {@code pending} until the checkpoint without it is durable, so a failed write can undo it.
 */
final class AddressSlot {
    final Inet4Address ip;
    Allocation assigned;
    Instant assignedAt;
    Instant releasedAt;
    boolean releasePending;

    AddressSlot(Inet4Address ip) {
        this.ip = ip;
    }

    boolean cooling(Instant now, Duration cooldown) {
        return assigned == null && (releasePending || releasedAt != null && now.isBefore(releasedAt.plus(cooldown)));
    }

    boolean free(Instant now, Duration cooldown) {
        return assigned == null && !cooling(now, cooldown);
    }
}
