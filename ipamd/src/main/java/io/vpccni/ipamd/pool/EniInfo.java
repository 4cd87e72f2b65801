package io.vpccni.ipamd.pool;

import java.time.Instant;

/**
 * What the cloud says about an ENI attached to this node. {@code routeTableId} is 254 (main) for the
 * primary ENI; {@code createdAt} is when it was attached (young ENIs are never deleted).
 */
public record EniInfo(String eniId, String mac, int deviceNumber, int networkCard, boolean primary, boolean trunk,
                      boolean efa, String subnetId, int routeTableId, Instant createdAt) {
    /**
     * The route table an ENI's pods use, as upstream and amazon-ec2-net-utils number them: main for the
     * node's primary ENI, {@code device + 1} on network card 0, {@code 10000 + 100 × card + device} on others.
     */
    public static int routeTableFor(int networkCard, int deviceNumber, boolean primary) {
        if (primary && networkCard == 0) {
            return 254;
        }
        return networkCard == 0 ? deviceNumber + 1 : 10000 + 100 * networkCard + deviceNumber;
    }

    @Override
    public String toString() {
        return eniId + " (device " + deviceNumber + ")";
    }
}
