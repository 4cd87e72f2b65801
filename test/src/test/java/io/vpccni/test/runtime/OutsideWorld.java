package io.vpccni.test.runtime;

import io.vpccni.ipamd.testing.Ip;
import io.vpccni.simcloud.NetworkInterface;

/**
 * The world beyond the VPC, seen from a simulated node: the subnet's router (10.0.1.1) on the VPC side of the
 * primary ENI's veth, the node's default route through it as DHCP gives it on EC2, and a whoami server at
 * {@link #ADDRESS}, outside the VPC's CIDR, so a pod's connection there leaves through the daemon's SNAT rule.
 */
final class OutsideWorld implements AutoCloseable {
    /** TEST-NET-2: outside the VPC (10.0.0.0/16) and never routed anywhere real. */
    static final String ADDRESS = "198.51.100.10";
    static final String ROUTER = "10.0.1.1";

    private final WhoamiServer server;

    private OutsideWorld(WhoamiServer server) {
        this.server = server;
    }

    /** @param vpcNs the namespace holding the far ends of the node's ENIs */
    static OutsideWorld around(String vpcNs, NetworkInterface primaryEni) throws InterruptedException {
        var farEnd = "v" + primaryEni.id().substring(4, 14);  // as VethEnis names it
        Ip.in(vpcNs, "address", "add", ROUTER + "/24", "dev", farEnd);
        Ip.in(vpcNs, "link", "set", "lo", "up");
        Ip.in(vpcNs, "address", "add", ADDRESS + "/32", "dev", "lo");
        Ip.run("route", "replace", "default", "via", ROUTER, "dev", "ens5");
        return new OutsideWorld(WhoamiServer.start(vpcNs, ADDRESS, 80));
    }

    /** The whoami URL outside the VPC. */
    String url() {
        return server.url();
    }

    @Override
    public void close() throws InterruptedException {
        server.close();
        Ip.quietly("route", "del", "default", "via", ROUTER, "dev", "ens5");
    }
}
