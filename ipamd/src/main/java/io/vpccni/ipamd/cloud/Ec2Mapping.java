package io.vpccni.ipamd.cloud;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterface;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;
import software.amazon.awssdk.services.ec2.model.Ipv4PrefixSpecification;
import software.amazon.awssdk.services.ec2.model.NetworkCardInfo;
import software.amazon.awssdk.services.ec2.model.NetworkInterfacePrivateIpAddress;
import software.amazon.awssdk.services.ec2.model.Tag;

/** SDK model → domain records. The only place besides {@link SdkEc2Api} that sees SDK types. */
final class Ec2Mapping {
    private Ec2Mapping() {}

    static NetworkInterface networkInterface(software.amazon.awssdk.services.ec2.model.NetworkInterface n) {
        var secondary = n.privateIpAddresses().stream()
                .filter(a -> !Boolean.TRUE.equals(a.primary()))
                .map(NetworkInterfacePrivateIpAddress::privateIpAddress)
                .toList();
        var prefixes = n.ipv4Prefixes().stream().map(Ipv4PrefixSpecification::ipv4Prefix).toList();
        var attachment = Optional.ofNullable(n.attachment()).filter(a -> a.attachmentId() != null)
                .map(a -> new NetworkInterface.Attachment(a.attachmentId(), a.instanceId(), orZero(a.deviceIndex()),
                        orZero(a.networkCardIndex()), a.statusAsString(), Boolean.TRUE.equals(a.deleteOnTermination())));
        return new NetworkInterface(n.networkInterfaceId(), lower(n.macAddress()), n.subnetId(), n.vpcId(),
                n.privateIpAddress(), secondary, prefixes, attachment, n.statusAsString(), nullToEmpty(n.description()),
                tags(n.tagSet()), InterfaceType.of(n.interfaceTypeAsString()));
    }

    static Instance instance(software.amazon.awssdk.services.ec2.model.Instance i) {
        var enis = new ArrayList<Instance.AttachedEni>();
        for (InstanceNetworkInterface n : i.networkInterfaces()) {
            var a = n.attachment();
            if (a != null) {
                enis.add(new Instance.AttachedEni(n.networkInterfaceId(), a.attachmentId(), orZero(a.deviceIndex()),
                        orZero(a.networkCardIndex()), InterfaceType.of(n.interfaceType())));
            }
        }
        return new Instance(i.instanceId(), i.instanceTypeAsString(), i.subnetId(), i.vpcId(), enis);
    }

    static Subnet subnet(software.amazon.awssdk.services.ec2.model.Subnet s) {
        return new Subnet(s.subnetId(), s.vpcId(), s.availabilityZone(), s.cidrBlock(),
                orZero(s.availableIpAddressCount()), tags(s.tags()));
    }

    static io.vpccni.ipamd.cloud.InstanceTypeInfo instanceType(InstanceTypeInfo t) {
        var net = t.networkInfo();
        var perCard = new HashMap<Integer, Integer>();
        for (NetworkCardInfo card : net.networkCards()) {
            perCard.put(orZero(card.networkCardIndex()), orZero(card.maximumNetworkInterfaces()));
        }
        int maxEnis = orZero(net.maximumNetworkInterfaces());
        if (perCard.isEmpty()) {
            perCard.put(0, maxEnis);
        }
        return new io.vpccni.ipamd.cloud.InstanceTypeInfo(t.instanceTypeAsString(), maxEnis,
                orZero(net.ipv4AddressesPerInterface()), perCard, orZero(net.defaultNetworkCardIndex()),
                nullToEmpty(t.hypervisorAsString()), Boolean.TRUE.equals(t.bareMetal()));
    }

    static List<software.amazon.awssdk.services.ec2.model.Filter> sdkFilters(List<Filter> filters) {
        return filters.stream().map(f -> software.amazon.awssdk.services.ec2.model.Filter.builder()
                .name(f.name()).values(f.values()).build()).toList();
    }

    private static Map<String, String> tags(List<Tag> tags) {
        var out = new HashMap<String, String>();
        for (Tag t : tags) {
            out.put(t.key(), nullToEmpty(t.value()));
        }
        return out;
    }

    private static int orZero(Integer i) {
        return i == null ? 0 : i;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(java.util.Locale.ROOT);
    }
}
