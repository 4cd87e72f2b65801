package io.vpccni.test.node;

import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.net.NetNs;
import io.vpccni.ipamd.net.NetlinkException;
import io.vpccni.ipamd.net.RtNetlink;
import io.vpccni.simcloud.AttachmentListener;
import io.vpccni.simcloud.NetworkInterface;

import java.nio.file.Path;

/**
 * Makes the simulated cloud's attachments real for one node: an ENI attached to {@code instanceId} appears
 * in the node's network namespace as the end of a veth pair named {@code ens<5+device>} carrying the ENI's
 * MAC (this kernel has no dummy links); the other end sits in a "vpc" namespace. Detaching removes it.
 */
public final class VethEnis implements AttachmentListener, AutoCloseable {
    private final String instanceId;
    private final NetNs nodeNs;
    private final NetNs vpcNs;
    private final RtNetlink vpc;
    private String primaryFarEnd;

    /** @param nodeNs where the daemon runs; @param vpcNsPath an existing namespace for the far ends */
    public VethEnis(String instanceId, NetNs nodeNs, Path vpcNsPath) {
        this.instanceId = instanceId;
        this.nodeNs = nodeNs;
        this.vpcNs = NetNs.open(vpcNsPath);
        this.vpc = RtNetlink.openIn(vpcNs);
    }

    public static String linkName(int deviceIndex) {
        return "ens" + (5 + deviceIndex);
    }

    /**
     * The primary ENI, which a real node boots with: {@code ens5} with the instance's address, up, so the
     * daemon finds its primary interface by MAC as on EC2.
     */
    public void plugPrimary(NetworkInterface eni, int subnetPrefixLength) {
        var far = "v" + eni.id().substring(4, 14);
        primaryFarEnd = far;
        vpc.createVeth(far, linkName(0), nodeNs, 9001, eni.macAddress());
        vpc.setUp(far, true);
        try (var node = RtNetlink.openIn(nodeNs)) {
            node.addAddress(linkName(0), new IpPrefix(IpPrefix.ipv4(eni.primaryIp()), subnetPrefixLength));
            node.setUp(linkName(0), true);
        }
    }

    @Override
    public void attached(String instance, NetworkInterface eni) {
        var attachment = eni.attachment().orElseThrow();
        if (!instance.equals(instanceId) || attachment.deviceIndex() == 0) {
            return;  // another node's, or the primary ENI, which the node is started with
        }
        var name = linkName(attachment.deviceIndex());
        vpc.createVeth("v" + eni.id().substring(4, 14), name, nodeNs, 9001, eni.macAddress());
        vpc.setUp("v" + eni.id().substring(4, 14), true);
    }

    @Override
    public void detached(String instance, NetworkInterface eni) {
        if (!instance.equals(instanceId)) {
            return;
        }
        try {
            vpc.deleteLink("v" + eni.id().substring(4, 14));  // takes the node's end with it
        } catch (NetlinkException e) {
            // already gone
        }
    }

    @Override
    public void close() {
        if (primaryFarEnd != null) {
            try {
                vpc.deleteLink(primaryFarEnd);
            } catch (NetlinkException e) {
                // gone with its namespace
            }
        }
        vpc.close();
        vpcNs.close();
    }
}
