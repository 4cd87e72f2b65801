package io.vpccni.ipamd.pool;

import java.net.Inet4Address;

/**
 * A pod IPv4 address handed out by the pool, with where it lives: the ENI's device number and the
 * route table that traffic from the pod must use (254, main, for the primary ENI), and the name of the
 * pod's host veth, recorded so that a restart finds it whatever the veth prefix is by then ("" when the
 * checkpoint predates the record, e.g. one written by upstream).
 */
public record Allocation(AttachmentKey key, PodIdentity pod, Inet4Address ipv4, int deviceNumber, int routeTableId,
                         String hostVeth) {
    public static final int MAIN_TABLE = 254;

    public Allocation {
        hostVeth = hostVeth == null ? "" : hostVeth;
    }

    /** An allocation whose host veth is not recorded. */
    public Allocation(AttachmentKey key, PodIdentity pod, Inet4Address ipv4, int deviceNumber, int routeTableId) {
        this(key, pod, ipv4, deviceNumber, routeTableId, "");
    }

    public String ipv4Text() {
        return ipv4.getHostAddress();
    }
}
