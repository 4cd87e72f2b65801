package io.vpccni.ipamd.eni;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vpccni.ipamd.cloud.CloudException;
import io.vpccni.ipamd.cloud.Ec2Api;
import io.vpccni.ipamd.cloud.EniTags;
import io.vpccni.ipamd.cloud.InstanceMetadata;
import io.vpccni.ipamd.cloud.InterfaceType;
import io.vpccni.ipamd.cloud.MetadataException;
import io.vpccni.ipamd.cloud.NetworkInterface;
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
 * against EC2's interface type and tags. ENIs pods must not use (trunk, EFA, tagged
 * node.k8s.amazonaws.com/no_manage=true, on a network card other than 0) are left alone, but recorded: they
 * hold attachment slots all the same.
 */
public final class NodeDiscovery {
    private static final Logger log = LoggerFactory.getLogger(NodeDiscovery.class);

    /**
     * An attached ENI as found at start; one left alone is reported but never given to the pool.
     *
     * @param leftAlone why the pool must not use it; empty when it does
     */
    public record FoundEni(EniInfo info, String primaryIp, List<String> secondaryIps, List<String> prefixes,
                           Optional<String> leftAlone) {
        /** Whether the pool uses it for pod addresses (and the daemon wires its host side). */
        public boolean managed() {
            return leftAlone.isEmpty();
        }
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
        var imdsOnly = io.vpccni.ipamd.config.Env.bool(env, "ENABLE_IMDS_ONLY_MODE", false);
        // Without EC2 there are no tags to tell another tool's ENI from ours: IMDS-only mode manages them all.
        var manageUntagged = imdsOnly || io.vpccni.ipamd.config.Env.bool(env, "MANAGE_UNTAGGED_ENI", true);
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
        // In IMDS-only mode there is no interface type or tag to go by: every card-0 ENI counts as a plain interface.
        var described = new java.util.HashMap<String, NetworkInterface>();
        for (var eni : imdsOnly ? List.<NetworkInterface>of() : ec2.describeNetworkInterfaces(ids)) {
            described.put(eni.eniId(), eni);
        }
        var found = new ArrayList<FoundEni>();
        for (var mac : macs) {
            var id = imds.interfaceId(mac);
            var device = imds.deviceNumber(mac);
            var eni = Optional.ofNullable(described.get(id));
            var tags = eni.map(NetworkInterface::tags).orElse(Map.of());
            var kind = eni.map(NetworkInterface::interfaceType).orElse(InterfaceType.INTERFACE);
            var primary = mac.equalsIgnoreCase(primaryMac);
            var card = imds.networkCard(mac);
            var info = new EniInfo(id, mac, device, card, primary, kind == InterfaceType.TRUNK,
                    kind == InterfaceType.EFA || kind == InterfaceType.EFA_ONLY, imds.subnetId(mac),
                    EniInfo.routeTableFor(card, device, primary), createdAt(tags, clock.instant()));
            var leftAlone = EniEligibility.whyNotForPods(kind, tags, card)
                    .or(() -> manageUntagged || primary ? Optional.empty() : EniEligibility.whyForeign(tags, instanceId));
            if (leftAlone.isPresent()) {
                // Its addresses are not read: an EFA-only ENI has none, and the pool needs none of them.
                found.add(new FoundEni(info, "", List.of(), List.of(), leftAlone));
                log.info("{} at device {} on network card {} is left alone (no pod addresses, never deleted): {}",
                        id, device, card, leftAlone.get());
                continue;
            }
            var addresses = imds.localIpv4s(mac);
            found.add(new FoundEni(info, addresses.isEmpty() ? "" : addresses.getFirst(),
                    addresses.size() > 1 ? addresses.subList(1, addresses.size()) : List.of(), imds.ipv4Prefixes(mac),
                    Optional.empty()));
        }
        return new Node(identity, limits, found);
    }

    /** Offers the managed ENIs and their addresses to the datastore, and records the others as outside the pool. */
    public static void load(Datastore datastore, Node node) {
        for (var eni : node.enis()) {
            if (!eni.managed()) {
                var i = eni.info();
                datastore.recordUnpooled(new Datastore.UnpooledEni(i.eniId(), i.networkCard(), i.deviceNumber(), eni.leftAlone().get()));
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
    public static Map<String, String> additionalTags(Map<String, String> env) {
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
