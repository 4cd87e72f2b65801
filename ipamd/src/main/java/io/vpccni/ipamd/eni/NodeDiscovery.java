package io.vpccni.ipamd.eni;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vpccni.ipamd.cloud.CloudException;
import io.vpccni.ipamd.cloud.Ec2Api;
import io.vpccni.ipamd.cloud.EniTags;
import io.vpccni.ipamd.cloud.InstanceMetadata;
import io.vpccni.ipamd.cloud.MetadataException;
import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.policy.InstanceLimits;
import io.vpccni.ipamd.policy.InstanceLimitsTable;
import io.vpccni.ipamd.pool.Datastore;
import io.vpccni.ipamd.pool.EniInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What this node is and holds, at daemon start: identity and limits from IMDS (and EC2 for an instance
 * type the built-in table lacks), and every attached ENI with its addresses, read from IMDS and checked
 * against EC2's tags (ENIs tagged node.k8s.amazonaws.com/no_manage=true are never touched).
 */
public final class NodeDiscovery {
    private static final Logger log = LoggerFactory.getLogger(NodeDiscovery.class);

    /** An attached ENI as found at start; unmanaged ones are reported but never given to the pool. */
    public record FoundEni(EniInfo info, String primaryIp, List<String> secondaryIps, List<String> prefixes, boolean managed) {
    }

    public record Node(NodeIdentity identity, InstanceLimits limits, List<FoundEni> enis) {
        public long unmanaged() {
            return enis.stream().filter(e -> !e.managed()).count();
        }
    }

    private NodeDiscovery() {
    }

    public static Node discover(InstanceMetadata imds, Ec2Api ec2, Map<String, String> env, Clock clock)
            throws MetadataException, CloudException {
        // ENABLE_IMDS_ONLY_MODE: no EC2 call at all; ENI tags (no_manage) and unknown instance types need EC2.
        var imdsOnly = Boolean.parseBoolean(env.get("ENABLE_IMDS_ONLY_MODE"));
        var instanceId = imds.instanceId();
        var type = imds.instanceType();
        var primaryMac = imds.primaryMac();
        var limits = InstanceLimitsTable.lookup(type, t -> {
            if (imdsOnly) {
                return Optional.empty();
            }
            try {
                var info = ec2.describeInstanceType(t);
                return Optional.of(new InstanceLimits(t, info.maxEnis(), info.ipv4PerEni()));
            } catch (CloudException e) {
                log.warn("DescribeInstanceTypes {}: {}", t, e.getMessage());
                return Optional.empty();
            }
        });
        var identity = new NodeIdentity(instanceId, type, imds.subnetId(primaryMac), imds.securityGroupIds(primaryMac),
                limits.maxEnis(), Optional.ofNullable(blankToNull(env.get("CLUSTER_NAME"))), additionalTags(env));

        var macs = imds.macs();
        var ids = new ArrayList<String>();
        for (var mac : macs) {
            ids.add(imds.interfaceId(mac));
        }
        var tagsById = new java.util.HashMap<String, Map<String, String>>();
        for (var eni : imdsOnly ? List.<io.vpccni.ipamd.cloud.NetworkInterface>of() : ec2.describeNetworkInterfaces(ids)) {
            tagsById.put(eni.eniId(), eni.tags());
        }
        var found = new ArrayList<FoundEni>();
        for (var mac : macs) {
            var id = imds.interfaceId(mac);
            var device = imds.deviceNumber(mac);
            var tags = tagsById.getOrDefault(id, Map.of());
            var createdAt = createdAt(tags, clock.instant());
            var primary = mac.equalsIgnoreCase(primaryMac);
            var card = imds.networkCard(mac);
            var info = new EniInfo(id, mac, device, card, primary, false, false, imds.subnetId(mac),
                    EniInfo.routeTableFor(card, device, primary), createdAt);
            var addresses = imds.localIpv4s(mac);
            var managed = !"true".equalsIgnoreCase(tags.get(EniTags.NO_MANAGE));
            found.add(new FoundEni(info, addresses.isEmpty() ? "" : addresses.getFirst(),
                    addresses.size() > 1 ? addresses.subList(1, addresses.size()) : List.of(), imds.ipv4Prefixes(mac), managed));
            if (!managed) {
                log.info("{} is tagged {}=true: never used or changed", id, EniTags.NO_MANAGE);
            }
        }
        return new Node(identity, limits, found);
    }

    /** Offers the managed ENIs and their addresses of the pool's mode to the datastore. */
    public static void load(Datastore datastore, Node node) {
        for (var eni : node.enis()) {
            if (!eni.managed()) {
                continue;
            }
            datastore.addEni(eni.info());
            for (var ip : eni.secondaryIps()) {
                datastore.addCidr(eni.info().eniId(), IpPrefix.host(IpPrefix.ipv4(ip)), false);
            }
            for (var prefix : eni.prefixes()) {
                datastore.addCidr(eni.info().eniId(), IpPrefix.of(prefix), true);
            }
        }
    }

    private static Instant createdAt(Map<String, String> tags, Instant now) {
        var tag = tags.get(EniTags.CREATED_AT);
        if (tag == null) {
            return Instant.EPOCH;  // an ENI from before this daemon: old enough to be deleted if idle
        }
        try {
            return Instant.parse(tag);
        } catch (RuntimeException e) {
            return now;
        }
    }

    /** ADDITIONAL_ENI_TAGS: a JSON object of string values, e.g. {"team":"net"}. */
    static Map<String, String> additionalTags(Map<String, String> env) {
        var raw = blankToNull(env.get("ADDITIONAL_ENI_TAGS"));
        if (raw == null) {
            return Map.of();
        }
        try {
            return JsonMapper.builder().build().readValue(raw, new TypeReference<Map<String, String>>() { });
        } catch (Exception e) {
            throw new IllegalArgumentException("ADDITIONAL_ENI_TAGS='" + raw + "' must be a JSON object of strings, e.g. {\"team\":\"net\"}");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
