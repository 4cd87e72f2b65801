package io.vpccni.ipamd.observe;

import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.pool.EniDetail;

import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /v1/enis} in upstream's shape, so scripts and support tooling written for upstream keep working:
 * {@code {"TotalIPs","AssignedIPs","ENIs":{<id>:{"ID","IsPrimary","IsTrunk","IsEFA","DeviceNumber",
 * "AvailableIPv4Cidrs":{<cidr>:{"Cidr":{"IP","Mask"},"IPAddresses":{<ip>:{"Address","IPAMKey","IPAMMetadata",
 * "AssignedTime","UnassignedTime"}},"IsPrefix","AddressFamily"}},"IPv6Cidrs","IsExcludedForPodIPs","RouteTableID",
 * "SubnetID"}}}}}. As upstream does since it moved to a Unix socket, container IDs and interface names are blanked
 * here (our {@code /v1/pods}, bound to loopback, carries them); times are RFC 3339, Go's zero time when unset.
 */
final class UpstreamEniInfos {
    static final String GO_ZERO_TIME = "0001-01-01T00:00:00Z";

    private UpstreamEniInfos() {
    }

    static Map<String, Object> of(List<EniDetail> enis, int totalIps, int assignedIps) {
        var byId = new LinkedHashMap<String, Object>();
        for (var eni : enis) {
            var cidrs = new LinkedHashMap<String, Object>();
            for (var cidr : eni.cidrs()) {
                cidrs.put(cidr.cidr().toString(), cidrInfo(cidr));
            }
            var e = new LinkedHashMap<String, Object>();
            e.put("ID", eni.info().eniId());
            e.put("IsPrimary", eni.info().primary());
            e.put("IsTrunk", eni.info().trunk());
            e.put("IsEFA", eni.info().efa());
            e.put("DeviceNumber", eni.info().deviceNumber());
            e.put("AvailableIPv4Cidrs", cidrs);
            e.put("IPv6Cidrs", Map.of());
            e.put("IsExcludedForPodIPs", eni.excluded());
            e.put("RouteTableID", eni.info().routeTableId());
            e.put("SubnetID", eni.info().subnetId() == null ? "" : eni.info().subnetId());
            byId.put(eni.info().eniId(), e);
        }
        var out = new LinkedHashMap<String, Object>();
        out.put("TotalIPs", totalIps);
        out.put("AssignedIPs", assignedIps);
        out.put("ENIs", byId);
        return out;
    }

    private static Map<String, Object> cidrInfo(EniDetail.Cidr cidr) {
        var addresses = new LinkedHashMap<String, Object>();
        for (var a : cidr.addresses()) {
            var key = new LinkedHashMap<String, Object>();
            var metadata = new LinkedHashMap<String, Object>();
            var assigned = a.assigned();
            key.put("networkName", assigned == null ? "" : assigned.key().networkName());
            key.put("containerID", "");
            key.put("ifName", "");
            if (assigned != null) {  // upstream's metadata fields are omitted when empty
                metadata.put("k8sPodNamespace", assigned.pod().namespace());
                metadata.put("k8sPodName", assigned.pod().name());
                metadata.put("interfacesCount", 1);
            }
            var info = new LinkedHashMap<String, Object>();
            info.put("Address", a.ip().getHostAddress());
            info.put("IPAMKey", key);
            info.put("IPAMMetadata", metadata);
            info.put("AssignedTime", time(assigned == null ? null : a.assignedAt()));
            info.put("UnassignedTime", time(assigned == null ? a.releasedAt() : null));
            addresses.put(a.ip().getHostAddress(), info);
        }
        var ipNet = new LinkedHashMap<String, Object>();
        ipNet.put("IP", cidr.cidr().address().getHostAddress());
        ipNet.put("Mask", mask(cidr.cidr()));
        var out = new LinkedHashMap<String, Object>();
        out.put("Cidr", ipNet);
        out.put("IPAddresses", addresses);
        out.put("IsPrefix", cidr.prefix());
        out.put("AddressFamily", "4");
        return out;
    }

    /** Go's net.IPMask is a byte slice, which encoding/json writes as base64. */
    static String mask(IpPrefix prefix) {
        var bits = prefix.length() == 0 ? 0 : -1 << (32 - prefix.length());
        return Base64.getEncoder().encodeToString(new byte[]{(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits});
    }

    static String time(Instant instant) {
        return instant == null ? GO_ZERO_TIME : instant.toString();
    }
}
