package io.vpccni.simcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class Ec2ApiTest {
    private final ManualClock clock = new ManualClock();
    private SimulatedAccount account;
    private Ec2Server server;
    private Ec2TestClient ec2;
    private String subnet;
    private String smallSubnet;
    private String prefixSubnet;
    private String node;
    private final List<String> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        account = new SimulatedAccount("111122223333", "10.0.0.0/16", clock, 7);
        subnet = account.createSubnet("10.0.1.0/24", "us-west-2a");
        smallSubnet = account.createSubnet("10.0.2.0/28", "us-west-2a");
        prefixSubnet = account.createSubnet("10.0.3.0/26", "us-west-2a");
        node = account.launchInstance("t3.medium", subnet, List.of(account.defaultSecurityGroupId()));
        account.addListener(new AttachmentListener() {
            public void attached(String instanceId, NetworkInterface eni) { events.add("attached " + instanceId + " " + eni.id()); }
            public void detached(String instanceId, NetworkInterface eni) { events.add("detached " + instanceId + " " + eni.id()); }
        });
        server = Ec2Server.start(clock);
        server.register("AKIDTEST", account);
        ec2 = new Ec2TestClient(server.uri(), "AKIDTEST");
    }

    @AfterEach
    void tearDown() {
        if (server != null) server.close();
    }

    private String createEni(String subnetId, String... extra) {
        var params = new ArrayList<>(List.of("SubnetId", subnetId, "Description", "aws-K8S-" + node));
        params.addAll(List.of(extra));
        return ec2.ok("CreateNetworkInterface", params.toArray(String[]::new)).text("//networkInterface/networkInterfaceId");
    }

    private int available(String subnetId) {
        return Integer.parseInt(ec2.ok("DescribeSubnets", "SubnetId.1", subnetId).text("//subnetSet/item/availableIpAddressCount"));
    }

    private String attach(String eniId, int deviceIndex) {
        return ec2.ok("AttachNetworkInterface", "NetworkInterfaceId", eniId, "InstanceId", node, "DeviceIndex", "" + deviceIndex)
                .text("//attachmentId");
    }

    @Test
    void theInterfaceTypeAskedForIsWhatDescribeAndDescribeInstancesReport() {
        var trunk = createEni(subnet, "InterfaceType", "trunk");
        attach(trunk, 1);
        assertEquals("trunk", ec2.ok("DescribeNetworkInterfaces", "NetworkInterfaceId.1", trunk).text("//networkInterfaceSet/item/interfaceType"));
        assertEquals("interface", ec2.ok("DescribeNetworkInterfaces", "NetworkInterfaceId.1", createEni(subnet))
                .text("//networkInterfaceSet/item/interfaceType"));
        assertEquals("trunk", ec2.ok("DescribeInstances", "InstanceId.1", node)
                .text("//networkInterfaceSet/item[networkInterfaceId='" + trunk + "']/interfaceType"));
        assertEquals(List.of(trunk), ec2.ok("DescribeNetworkInterfaces", "Filter.1.Name", "interface-type", "Filter.1.Value.1", "trunk")
                .texts("//networkInterfaceSet/item/networkInterfaceId"));
        assertEquals("InvalidParameterValue", ec2.call("CreateNetworkInterface", "SubnetId", subnet, "InterfaceType", "bogus").errorCode());
    }

    @Test
    void createWithFiveSecondaryIpsConsumesSixAddressesAndRendersTheSdkShape() {
        assertEquals(250, available(subnet), "251 usable minus the instance's primary ENI");
        var answer = ec2.ok("CreateNetworkInterface", "SubnetId", subnet, "Description", "aws-K8S-" + node,
                "SecurityGroupId.1", account.defaultSecurityGroupId(), "SecondaryPrivateIpAddressCount", "5",
                "TagSpecification.1.ResourceType", "network-interface",
                "TagSpecification.1.Tag.1.Key", "node.k8s.amazonaws.com/instance_id", "TagSpecification.1.Tag.1.Value", node);
        assertEquals(244, available(subnet));
        assertTrue(answer.body().contains("<CreateNetworkInterfaceResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"));
        assertTrue(answer.text("/CreateNetworkInterfaceResponse/requestId").length() > 0);
        String id = answer.text("//networkInterface/networkInterfaceId");
        assertTrue(id.matches("eni-[0-9a-f]{17}"), id);
        assertTrue(answer.text("//networkInterface/macAddress").matches("02(:[0-9a-f]{2}){5}"));
        assertEquals("available", answer.text("//networkInterface/status"));
        assertEquals(6, answer.texts("//networkInterface/privateIpAddressesSet/item/privateIpAddress").size());
        assertEquals("true", answer.text("//privateIpAddressesSet/item[1]/primary"));
        assertEquals("false", answer.text("//privateIpAddressesSet/item[2]/primary"));
        assertEquals(answer.text("//networkInterface/privateIpAddress"), answer.text("//privateIpAddressesSet/item[1]/privateIpAddress"));
        assertEquals(node, answer.text("//networkInterface/tagSet/item[key='node.k8s.amazonaws.com/instance_id']/value"));
        assertEquals(account.defaultSecurityGroupId(), answer.text("//networkInterface/groupSet/item/groupId"));
    }

    @Test
    void exhaustedSubnetAnswersInsufficientFreeAddresses() {
        String eni = createEni(smallSubnet, "SecondaryPrivateIpAddressCount", "9"); // 10 of 11
        var tooMany = ec2.call("AssignPrivateIpAddresses", "NetworkInterfaceId", eni, "SecondaryPrivateIpAddressCount", "2");
        assertEquals(400, tooMany.status());
        assertEquals("InsufficientFreeAddressesInSubnet", tooMany.errorCode());
        assertEquals(1, available(smallSubnet), "a failed request takes nothing");
        createEni(smallSubnet);
        assertEquals("InsufficientFreeAddressesInSubnet", ec2.call("CreateNetworkInterface", "SubnetId", smallSubnet).errorCode());
    }

    @Test
    void prefixesAreAlignedAndInsufficientCidrBlocksWhenNoneIsFree() {
        var answer = ec2.ok("CreateNetworkInterface", "SubnetId", prefixSubnet, "Ipv4PrefixCount", "1");
        String eni = answer.text("//networkInterfaceId");
        assertEquals("10.0.3.4", answer.text("//networkInterface/privateIpAddress"));
        assertEquals("10.0.3.16/28", answer.text("//networkInterface/ipv4PrefixSet/item/ipv4Prefix"));
        var more = ec2.ok("AssignPrivateIpAddresses", "NetworkInterfaceId", eni, "Ipv4PrefixCount", "1");
        assertEquals("10.0.3.32/28", more.text("//assignedIpv4PrefixSet/item/ipv4Prefix"));
        assertEquals("InsufficientCidrBlocks",
                ec2.call("AssignPrivateIpAddresses", "NetworkInterfaceId", eni, "Ipv4PrefixCount", "1").errorCode());
        ec2.ok("UnassignPrivateIpAddresses", "NetworkInterfaceId", eni, "Ipv4Prefix.1", "10.0.3.16/28");
        assertEquals(List.of("10.0.3.32/28"), account.networkInterface(eni).prefixes());
        assertEquals(64 - 5 - 1 - 16, available(prefixSubnet));
    }

    @Test
    void attachEnforcesEniLimitAndFreeDeviceIndex() {
        String a = createEni(subnet), b = createEni(subnet), c = createEni(subnet);
        String attachment = attach(a, 1);
        assertTrue(attachment.matches("eni-attach-[0-9a-f]{17}"), attachment);
        var clash = ec2.call("AttachNetworkInterface", "NetworkInterfaceId", b, "InstanceId", node, "DeviceIndex", "1");
        assertEquals("InvalidParameterValue", clash.errorCode());
        attach(b, 2);
        var overLimit = ec2.call("AttachNetworkInterface", "NetworkInterfaceId", c, "InstanceId", node, "DeviceIndex", "3");
        assertEquals("AttachmentLimitExceeded", overLimit.errorCode(), "t3.medium takes 3 ENIs");
        var inUse = ec2.call("AttachNetworkInterface", "NetworkInterfaceId", a, "InstanceId", node, "DeviceIndex", "3");
        assertEquals("InvalidNetworkInterface.InUse", inUse.errorCode());
        assertEquals(List.of("attached " + node + " " + a, "attached " + node + " " + b), events);
    }

    @Test
    void assignBeyondPerEniLimitAnswersPrivateIpAddressLimitExceeded() {
        String eni = createEni(subnet);
        attach(eni, 1);
        var answer = ec2.ok("AssignPrivateIpAddresses", "NetworkInterfaceId", eni, "SecondaryPrivateIpAddressCount", "5");
        assertEquals(5, answer.texts("//assignedPrivateIpAddressesSet/item/privateIpAddress").size());
        assertEquals(eni, answer.text("//AssignPrivateIpAddressesResponse/networkInterfaceId"));
        var over = ec2.call("AssignPrivateIpAddresses", "NetworkInterfaceId", eni, "SecondaryPrivateIpAddressCount", "1");
        assertEquals("PrivateIpAddressLimitExceeded", over.errorCode(), "t3.medium allows 6 IPv4 per ENI");
        assertEquals("PrivateIpAddressLimitExceeded",
                ec2.call("AssignPrivateIpAddresses", "NetworkInterfaceId", eni, "Ipv4PrefixCount", "1").errorCode(),
                "a prefix takes one IPv4 slot");
    }

    @Test
    void specificAddressesAreClaimedOrRejected() {
        String eni = createEni(subnet);
        ec2.ok("AssignPrivateIpAddresses", "NetworkInterfaceId", eni, "PrivateIpAddress.1", "10.0.1.100");
        assertEquals("InvalidIPAddress.InUse",
                ec2.call("AssignPrivateIpAddresses", "NetworkInterfaceId", eni, "PrivateIpAddress.1", "10.0.1.100").errorCode());
        assertEquals("InvalidParameterValue",
                ec2.call("AssignPrivateIpAddresses", "NetworkInterfaceId", eni, "PrivateIpAddress.1", "10.0.9.9").errorCode());
        ec2.ok("UnassignPrivateIpAddresses", "NetworkInterfaceId", eni, "PrivateIpAddress.1", "10.0.1.100");
        assertEquals(List.of(), account.networkInterface(eni).secondaryIps());
    }

    @Test
    void detachAndDeleteLifecycle() {
        String eni = createEni(subnet, "SecondaryPrivateIpAddressCount", "3");
        String attachment = attach(eni, 1);
        ec2.ok("ModifyNetworkInterfaceAttribute", "NetworkInterfaceId", eni, "Attachment.AttachmentId", attachment,
                "Attachment.DeleteOnTermination", "true");
        var described = ec2.ok("DescribeNetworkInterfaces", "NetworkInterfaceId.1", eni);
        assertEquals("in-use", described.text("//networkInterfaceSet/item/status"));
        assertEquals("true", described.text("//networkInterfaceSet/item/attachment/deleteOnTermination"));
        assertEquals("1", described.text("//networkInterfaceSet/item/attachment/deviceIndex"));
        assertEquals("attached", described.text("//networkInterfaceSet/item/attachment/status"));

        var inUse = ec2.call("DeleteNetworkInterface", "NetworkInterfaceId", eni);
        assertEquals("InvalidParameterValue", inUse.errorCode());
        assertTrue(inUse.text("//Message").contains("in use"), inUse.body());

        ec2.ok("DetachNetworkInterface", "AttachmentId", attachment, "Force", "true");
        assertEquals("available", ec2.ok("DescribeNetworkInterfaces", "NetworkInterfaceId.1", eni).text("//networkInterfaceSet/item/status"));
        assertEquals("InvalidAttachmentID.NotFound", ec2.call("DetachNetworkInterface", "AttachmentId", attachment).errorCode());

        int before = available(subnet);
        ec2.ok("DeleteNetworkInterface", "NetworkInterfaceId", eni);
        assertEquals(before + 4, available(subnet), "primary and three secondaries come back");
        assertEquals("InvalidNetworkInterfaceID.NotFound", ec2.call("DeleteNetworkInterface", "NetworkInterfaceId", eni).errorCode());
        assertEquals("InvalidNetworkInterfaceID.NotFound", ec2.call("DescribeNetworkInterfaces", "NetworkInterfaceId.1", eni).errorCode());
        assertEquals(List.of("attached " + node + " " + eni, "detached " + node + " " + eni), events);

        String primaryAttachment = account.instance(node).primaryInterface().attachment().orElseThrow().id();
        assertEquals("OperationNotPermitted", ec2.call("DetachNetworkInterface", "AttachmentId", primaryAttachment).errorCode());
    }

    @Test
    void describeNetworkInterfacesFilters() {
        String leaked = createEni(subnet, "TagSpecification.1.ResourceType", "network-interface",
                "TagSpecification.1.Tag.1.Key", "node.k8s.amazonaws.com/instance_id", "TagSpecification.1.Tag.1.Value", node);
        String attached = createEni(subnet);
        attach(attached, 1);
        String other = ec2.ok("CreateNetworkInterface", "SubnetId", subnet, "Description", "someone else's").text("//networkInterfaceId");
        ec2.ok("CreateTags", "ResourceId.1", other, "Tag.1.Key", "team", "Tag.1.Value", "blue");

        assertEquals(List.of(leaked), ids("Filter.1.Name", "tag-key", "Filter.1.Value.1", "node.k8s.amazonaws.com/instance_id",
                "Filter.2.Name", "status", "Filter.2.Value.1", "available", "Filter.3.Name", "vpc-id", "Filter.3.Value.1", account.vpcId()));
        assertEquals(List.of(other), ids("Filter.1.Name", "tag:team", "Filter.1.Value.1", "blue"));
        assertEquals(List.of(), ids("Filter.1.Name", "tag:team", "Filter.1.Value.1", "red"));
        var onNode = ids("Filter.1.Name", "attachment.instance-id", "Filter.1.Value.1", node);
        assertEquals(List.of(account.instance(node).primaryInterface().id(), attached), onNode);
        assertEquals(List.of(leaked, attached), ids("Filter.1.Name", "description", "Filter.1.Value.1", "aws-K8S-*"));
        assertEquals(List.of(leaked, other), ids("Filter.1.Name", "status", "Filter.1.Value.1", "available"));
        assertEquals("InvalidParameterValue", ec2.call("DescribeNetworkInterfaces", "Filter.1.Name", "colour", "Filter.1.Value.1", "x").errorCode());
    }

    private List<String> ids(String... params) {
        return ec2.ok("DescribeNetworkInterfaces", params).texts("//networkInterfaceSet/item/networkInterfaceId");
    }

    @Test
    void describeNetworkInterfacesPages() {
        for (int i = 0; i < 6; i++) createEni(subnet);
        var first = ec2.ok("DescribeNetworkInterfaces", "MaxResults", "5");
        assertEquals(5, first.texts("//networkInterfaceSet/item").size());
        var second = ec2.ok("DescribeNetworkInterfaces", "MaxResults", "5", "NextToken", first.text("//nextToken"));
        assertEquals(2, second.texts("//networkInterfaceSet/item").size());
        assertEquals("", second.text("//nextToken"));
    }

    @Test
    void describeInstancesShowsAttachedInterfacesWithDeviceIndex() {
        String eni = createEni(subnet);
        attach(eni, 2);
        var answer = ec2.ok("DescribeInstances", "InstanceId.1", node);
        String base = "//reservationSet/item/instancesSet/item";
        assertEquals(node, answer.text(base + "/instanceId"));
        assertEquals("t3.medium", answer.text(base + "/instanceType"));
        assertEquals("us-west-2a", answer.text(base + "/placement/availabilityZone"));
        assertEquals(List.of("0", "2"), answer.texts(base + "/networkInterfaceSet/item/attachment/deviceIndex"));
        assertEquals(eni, answer.text(base + "/networkInterfaceSet/item[attachment/deviceIndex='2']/networkInterfaceId"));
        assertEquals("InvalidInstanceID.NotFound", ec2.call("DescribeInstances", "InstanceId.1", "i-00000000000000000").errorCode());
    }

    @Test
    void describeInstanceTypesAndSubnets() {
        var types = ec2.ok("DescribeInstanceTypes", "InstanceType.1", "m5.large", "InstanceType.2", "m5.4xlarge");
        assertEquals(List.of("3", "8"), types.texts("//instanceTypeSet/item/networkInfo/maximumNetworkInterfaces"));
        assertEquals(List.of("10", "30"), types.texts("//instanceTypeSet/item/networkInfo/ipv4AddressesPerInterface"));
        assertEquals("InvalidInstanceType", ec2.call("DescribeInstanceTypes", "InstanceType.1", "x9.huge").errorCode());
        var subnets = ec2.ok("DescribeSubnets", "SubnetId.1", smallSubnet);
        assertEquals("10.0.2.0/28", subnets.text("//subnetSet/item/cidrBlock"));
        assertEquals(account.vpcId(), subnets.text("//subnetSet/item/vpcId"));
        assertEquals("InvalidSubnetID.NotFound", ec2.call("DescribeSubnets", "SubnetId.1", "subnet-0").errorCode());
    }

    @Test
    void createTagsOnUnknownResourceFailsAndTagsNothing() {
        String eni = createEni(subnet);
        var answer = ec2.call("CreateTags", "ResourceId.1", eni, "ResourceId.2", "eni-00000000000000000", "Tag.1.Key", "k", "Tag.1.Value", "v");
        assertEquals("InvalidNetworkInterfaceID.NotFound", answer.errorCode());
        assertEquals(0, account.networkInterface(eni).tags().size());
    }

    @Test
    void unknownActionAndUnknownAccessKeyAreRejected() {
        var unknown = ec2.call("LaunchRockets");
        assertEquals(400, unknown.status());
        assertEquals("InvalidAction", unknown.errorCode());
        assertTrue(unknown.text("/Response/RequestID").length() > 0);
        var stranger = new Ec2TestClient(server.uri(), "AKIDSTRANGER").call("DescribeSubnets");
        assertEquals("AuthFailure", stranger.errorCode());
    }

    @Test
    void theAccessKeySelectsTheAccount() {
        var other = new SimulatedAccount("444455556666", "10.0.0.0/16", clock, 8);
        other.createSubnet("10.0.7.0/24", "us-west-2b");
        server.register("AKIDOTHER", other);
        var subnets = new Ec2TestClient(server.uri(), "AKIDOTHER").ok("DescribeSubnets").texts("//subnetSet/item/cidrBlock");
        assertEquals(List.of("10.0.7.0/24"), subnets);
        assertEquals(3, ec2.ok("DescribeSubnets").texts("//subnetSet/item").size());
    }
}
