package io.vpccni.simcloud;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static io.vpccni.simcloud.Filters.one;

/** The DescribeNetworkInterfaces filters the simulator knows (the ones the CNI and its tests use). */
final class NetworkInterfaceFilter {
    private static final Map<String, Function<NetworkInterface, Collection<String>>> FIELDS = Map.ofEntries(
            Map.entry("attachment.instance-id", e -> one(e.attachment().map(NetworkInterface.Attachment::instanceId).orElse(null))),
            Map.entry("attachment.attachment-id", e -> one(e.attachment().map(NetworkInterface.Attachment::id).orElse(null))),
            Map.entry("attachment.device-index", e -> one(e.attachment().map(a -> Integer.toString(a.deviceIndex())).orElse(null))),
            Map.entry("attachment.status", e -> one(e.attachment().map(a -> "attached").orElse(null))),
            Map.entry("status", e -> one(e.status())),
            Map.entry("vpc-id", e -> one(e.vpcId())),
            Map.entry("subnet-id", e -> one(e.subnetId())),
            Map.entry("availability-zone", e -> one(e.availabilityZone())),
            Map.entry("description", e -> one(e.description())),
            Map.entry("interface-type", e -> one(e.interfaceType())),
            Map.entry("network-interface-id", e -> one(e.id())),
            Map.entry("mac-address", e -> one(e.macAddress())),
            Map.entry("owner-id", e -> one(e.ownerId())),
            Map.entry("requester-managed", e -> one("false")),
            Map.entry("group-id", NetworkInterface::securityGroupIds),
            Map.entry("private-ip-address", NetworkInterface::allIps),
            Map.entry("addresses.private-ip-address", NetworkInterface::allIps),
            Map.entry("ipv4-prefix.ipv4-prefix", NetworkInterface::prefixes));
    private static final Filters<NetworkInterface> FILTERS = new Filters<>(FIELDS, NetworkInterface::tags);

    private NetworkInterfaceFilter() {}

    static List<NetworkInterface> apply(List<NetworkInterface> enis, List<QueryRequest.Filter> filters) {
        return FILTERS.apply(enis, filters);
    }
}
