package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.cloud.CloudException;
import io.vpccni.ipamd.cloud.Ec2Api;
import io.vpccni.ipamd.cloud.Filter;
import io.vpccni.ipamd.cloud.InstanceMetadata;
import io.vpccni.ipamd.cloud.MetadataException;
import io.vpccni.ipamd.cloud.NetworkInterface;
import io.vpccni.ipamd.eni.ReconcilePlan.NodeEni;
import io.vpccni.ipamd.net.IpPrefix;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads what is attached to the node: from IMDS (local and cheap, but late) or from EC2 (one call, authoritative). */
final class AttachedEnis {
    /** EC2's filter for the ENIs attached to an instance: one call, whatever IMDS lists yet. */
    static final String BY_INSTANCE = "attachment.instance-id";

    private AttachedEnis() {
    }

    /**
     * IMDS's view. Only the ENIs of the pool are read in full: of any other ENI its presence is news enough (EC2 then
     * says what it is), and one with no address at all (EFA-only) would only fail the read.
     */
    static List<NodeEni> fromMetadata(InstanceMetadata imds, Set<String> pooled) throws MetadataException {
        var out = new ArrayList<NodeEni>();
        for (var mac : imds.macs()) {
            var id = imds.interfaceId(mac);
            if (!pooled.contains(id)) {
                out.add(new NodeEni(id, mac, -1, 0, "", "", Set.of(), Optional.empty(), true));
                continue;
            }
            var ips = imds.localIpv4s(mac);
            var cidrs = new HashSet<IpPrefix>();
            ips.stream().skip(1).forEach(ip -> cidrs.add(IpPrefix.host(IpPrefix.ipv4(ip))));
            imds.ipv4Prefixes(mac).forEach(p -> cidrs.add(IpPrefix.of(p)));
            out.add(new NodeEni(id, mac, -1, 0, "", ips.isEmpty() ? "" : ips.getFirst(), cidrs, Optional.empty(), true));
        }
        return out;
    }

    /** EC2's view: every ENI attached to {@code instanceId} and not being detached, whether IMDS lists it yet or not. */
    static List<NodeEni> fromEc2(Ec2Api ec2, String instanceId, Set<String> inMetadata) throws CloudException {
        var out = new ArrayList<NodeEni>();
        for (var eni : ec2.findNetworkInterfaces(List.of(Filter.of(BY_INSTANCE, instanceId)))) {
            var attachment = eni.attachment().filter(a -> instanceId.equals(a.instanceId()) && !leaving(a));
            if (attachment.isEmpty()) {
                continue;
            }
            var a = attachment.get();
            out.add(new NodeEni(eni.eniId(), eni.mac(), a.deviceIndex(), a.networkCard(), eni.subnetId(), eni.privateIp(),
                    cidrs(eni), EniEligibility.whyNotForPods(eni.interfaceType(), eni.tags(), a.networkCard()),
                    inMetadata.contains(eni.eniId())));
        }
        return out;
    }

    /** An ENI being detached carries no traffic any more, whatever its addresses. */
    private static boolean leaving(NetworkInterface.Attachment a) {
        return "detaching".equals(a.status()) || "detached".equals(a.status());
    }

    private static Set<IpPrefix> cidrs(NetworkInterface eni) {
        var out = new HashSet<IpPrefix>();
        eni.secondaryIps().forEach(ip -> out.add(IpPrefix.host(IpPrefix.ipv4(ip))));
        eni.prefixes().forEach(p -> out.add(IpPrefix.of(p)));
        return out;
    }
}
