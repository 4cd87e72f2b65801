package io.vpccni.ipamd.pool;

import java.net.Inet4Address;

/**
 * A pod IPv4 address handed out by the pool, with where it lives: the ENI's device number and the
 * route table that traffic from the pod must use (254, main, for the primary ENI).
 */
public record Allocation(AttachmentKey key, PodIdentity pod, Inet4Address ipv4, int deviceNumber, int routeTableId) {
    public static final int MAIN_TABLE = 254;

    public String ipv4Text() {
        return ipv4.getHostAddress();
    }
}
