package io.vpccni.ipamd.pool;

import java.time.Instant;

/**
 * What the cloud says about an ENI attached to this node. {@code routeTableId} is 254 (main) for the
 * primary ENI; {@code createdAt} is when it was attached (young ENIs are never deleted).
 */
public record EniInfo(String eniId, String mac, int deviceNumber, int networkCard, boolean primary, boolean trunk,
                      boolean efa, String subnetId, int routeTableId, Instant createdAt) {
    @Override
    public String toString() {
        return eniId + " (device " + deviceNumber + ")";
    }
}
