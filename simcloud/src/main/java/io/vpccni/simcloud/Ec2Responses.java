package io.vpccni.simcloud;

import java.util.List;
import java.util.Map;

/** Renders state as the EC2 2016-11-15 Query XML that the AWS SDKs unmarshal (element names as in the service model). */
final class Ec2Responses {
    static final String XMLNS = "http://ec2.amazonaws.com/doc/2016-11-15/";

    private Ec2Responses() {}

    static Xml begin(String action, String requestId) {
        return new Xml().open(action + "Response", XMLNS).leaf("requestId", requestId);
    }

    static String end(Xml xml, String action) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + xml.close(action + "Response");
    }

    /** Actions whose only result is success answer {@code <return>true</return>}. */
    static String ok(String action, String requestId) {
        return end(begin(action, requestId).leaf("return", true), action);
    }

    static String error(String code, String message, String requestId) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + new Xml().open("Response").open("Errors").open("Error")
                .leaf("Code", code).leaf("Message", message).close("Error").close("Errors")
                .leaf("RequestID", requestId).close("Response");
    }

    /** The {@code NetworkInterface} shape (CreateNetworkInterface, DescribeNetworkInterfaces). */
    static void networkInterface(Xml x, NetworkInterface eni) {
        x.leaf("networkInterfaceId", eni.id()).leaf("subnetId", eni.subnetId()).leaf("vpcId", eni.vpcId())
                .leaf("availabilityZone", eni.availabilityZone()).leaf("description", eni.description())
                .leaf("ownerId", eni.ownerId()).leaf("requesterManaged", false).leaf("status", eni.status())
                .leaf("macAddress", eni.macAddress()).leaf("privateIpAddress", eni.primaryIp())
                .leaf("privateDnsName", dnsName(eni.primaryIp())).leaf("sourceDestCheck", true)
                .leaf("interfaceType", eni.interfaceType());
        groupSet(x, eni.securityGroupIds());
        eni.attachment().ifPresent(a -> x.open("attachment").leaf("attachmentId", a.id()).leaf("instanceId", a.instanceId())
                .leaf("instanceOwnerId", eni.ownerId()).leaf("deviceIndex", a.deviceIndex())
                .leaf("networkCardIndex", a.networkCardIndex()).leaf("status", "attached")
                .leaf("attachTime", a.attachTime()).leaf("deleteOnTermination", a.deleteOnTermination()).close("attachment"));
        tagSet(x, eni.tags());
        privateIps(x, eni);
        prefixes(x, "ipv4PrefixSet", eni.prefixes());
        x.open("ipv6AddressesSet").close("ipv6AddressesSet");
    }

    /** The {@code InstanceNetworkInterface} shape inside DescribeInstances. */
    static void instanceNetworkInterface(Xml x, NetworkInterface eni) {
        var a = eni.attachment().orElseThrow();
        x.leaf("networkInterfaceId", eni.id()).leaf("subnetId", eni.subnetId()).leaf("vpcId", eni.vpcId())
                .leaf("description", eni.description()).leaf("ownerId", eni.ownerId()).leaf("status", eni.status())
                .leaf("macAddress", eni.macAddress()).leaf("privateIpAddress", eni.primaryIp())
                .leaf("privateDnsName", dnsName(eni.primaryIp())).leaf("sourceDestCheck", true)
                .leaf("interfaceType", eni.interfaceType());
        groupSet(x, eni.securityGroupIds());
        x.open("attachment").leaf("attachmentId", a.id()).leaf("deviceIndex", a.deviceIndex())
                .leaf("networkCardIndex", a.networkCardIndex()).leaf("status", "attached")
                .leaf("attachTime", a.attachTime()).leaf("deleteOnTermination", a.deleteOnTermination()).close("attachment");
        privateIps(x, eni);
        prefixes(x, "ipv4PrefixSet", eni.prefixes());
    }

    static void instance(Xml x, Instance i) {
        var primary = i.primaryInterface();
        x.leaf("instanceId", i.id()).leaf("imageId", "ami-00000000000000000")
                .open("instanceState").leaf("code", 16).leaf("name", "running").close("instanceState")
                .leaf("privateDnsName", dnsName(primary.primaryIp())).leaf("instanceType", i.type().name())
                .open("placement").leaf("availabilityZone", i.availabilityZone()).leaf("tenancy", "default").close("placement")
                .leaf("subnetId", i.subnetId()).leaf("vpcId", i.vpcId()).leaf("privateIpAddress", primary.primaryIp())
                .leaf("sourceDestCheck", true).leaf("architecture", "x86_64").leaf("hypervisor", "xen");
        groupSet(x, i.securityGroupIds());
        x.open("networkInterfaceSet");
        for (var eni : i.networkInterfaces()) {
            x.open("item");
            instanceNetworkInterface(x, eni);
            x.close("item");
        }
        x.close("networkInterfaceSet");
    }

    static void subnet(Xml x, Subnet s) {
        x.leaf("subnetId", s.id()).leaf("state", "available").leaf("vpcId", s.vpcId()).leaf("cidrBlock", s.cidr())
                .leaf("availableIpAddressCount", s.availableAddresses()).leaf("availabilityZone", s.availabilityZone())
                .leaf("defaultForAz", false).leaf("mapPublicIpOnLaunch", false);
        tagSet(x, s.tags());
    }

    static void instanceType(Xml x, InstanceType t) {
        x.leaf("instanceType", t.name()).leaf("currentGeneration", true).leaf("bareMetal", false).leaf("hypervisor", "nitro")
                .open("networkInfo").leaf("networkPerformance", "Up to 10 Gigabit")
                .leaf("maximumNetworkInterfaces", t.maxEnis()).leaf("maximumNetworkCards", t.networkCards())
                .leaf("defaultNetworkCardIndex", 0).open("networkCards");
        for (int card = 0; card < t.networkCards(); card++) {
            x.open("item").leaf("networkCardIndex", card).leaf("networkPerformance", "Up to 10 Gigabit")
                    .leaf("maximumNetworkInterfaces", t.maxEnis()).close("item");
        }
        x.close("networkCards").leaf("ipv4AddressesPerInterface", t.ipv4PerEni())
                .leaf("ipv6AddressesPerInterface", t.ipv6PerEni()).leaf("ipv6Supported", true)
                .leaf("enaSupport", "required").leaf("efaSupported", false).close("networkInfo");
    }

    static void prefixes(Xml x, String setName, List<String> prefixes) {
        x.open(setName);
        for (String p : prefixes) x.open("item").leaf("ipv4Prefix", p).close("item");
        x.close(setName);
    }

    private static void privateIps(Xml x, NetworkInterface eni) {
        x.open("privateIpAddressesSet");
        boolean primary = true;
        for (String ip : eni.allIps()) {
            x.open("item").leaf("privateIpAddress", ip).leaf("privateDnsName", dnsName(ip)).leaf("primary", primary).close("item");
            primary = false;
        }
        x.close("privateIpAddressesSet");
    }

    private static void groupSet(Xml x, List<String> groupIds) {
        x.open("groupSet");
        for (String id : groupIds) x.open("item").leaf("groupId", id).leaf("groupName", id).close("item");
        x.close("groupSet");
    }

    static void tagSet(Xml x, Map<String, String> tags) {
        x.open("tagSet");
        tags.forEach((k, v) -> x.open("item").leaf("key", k).leaf("value", v).close("item"));
        x.close("tagSet");
    }

    private static String dnsName(String ip) {
        return "ip-" + ip.replace('.', '-') + ".ec2.internal";
    }
}
