package io.vpccni.simcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A VPC with subnets in several zones, as custom networking and multi-AZ clusters need; through the Query API. */
class SubnetsAndZonesTest {
    private static final String CLUSTER_TAG = "kubernetes.io/cluster/demo";
    private final ManualClock clock = new ManualClock();
    private SimulatedAccount account;
    private Ec2Server server;
    private Ec2TestClient ec2;
    private String nodesA;
    private String podsA;
    private String podsB;
    private String nodeA;

    @BeforeEach
    void setUp() throws Exception {
        account = new SimulatedAccount("111122223333", "10.0.0.0/16", clock, 7);
        account.addVpcCidr("100.64.0.0/16");
        nodesA = account.createSubnet("10.0.1.0/24", "us-west-2a", Map.of("Name", "nodes-a"));
        podsA = account.createSubnet("100.64.0.0/20", "us-west-2a", Map.of("Name", "pods-a", CLUSTER_TAG, "shared"));
        podsB = account.createSubnet("100.64.16.0/20", "us-west-2b", Map.of("Name", "pods-b", CLUSTER_TAG, "shared"));
        nodeA = account.launchInstance("m5.large", nodesA, List.of(account.defaultSecurityGroupId()));
        server = Ec2Server.start(clock);
        server.register("AKIDTEST", account);
        ec2 = new Ec2TestClient(server.uri(), "AKIDTEST");
    }

    @AfterEach
    void tearDown() {
        if (server != null) server.close();
    }

    private List<String> subnetIds(String... params) {
        return ec2.ok("DescribeSubnets", params).texts("//subnetSet/item/subnetId");
    }

    private int available(String subnetId) {
        return Integer.parseInt(ec2.ok("DescribeSubnets", "SubnetId.1", subnetId).text("//subnetSet/item/availableIpAddressCount"));
    }

    @Test
    void describeSubnetsShowsZonesAndTagsAndFiltersOnThem() {
        var answer = ec2.ok("DescribeSubnets", "SubnetId.1", podsB);
        assertEquals("us-west-2b", answer.text("//subnetSet/item/availabilityZone"));
        assertEquals("100.64.16.0/20", answer.text("//subnetSet/item/cidrBlock"));
        assertEquals("pods-b", answer.text("//subnetSet/item/tagSet/item[key='Name']/value"));
        assertEquals("shared", answer.text("//subnetSet/item/tagSet/item[key='" + CLUSTER_TAG + "']/value"));

        assertEquals(List.of(nodesA, podsA, podsB), subnetIds("Filter.1.Name", "vpc-id", "Filter.1.Value.1", account.vpcId()));
        assertEquals(List.of(), subnetIds("Filter.1.Name", "vpc-id", "Filter.1.Value.1", "vpc-0000000000000000f"));
        assertEquals(List.of(nodesA, podsA), subnetIds("Filter.1.Name", "availability-zone", "Filter.1.Value.1", "us-west-2a"));
        assertEquals(List.of(podsA, podsB), subnetIds("Filter.1.Name", "tag-key", "Filter.1.Value.1", CLUSTER_TAG));
        assertEquals(List.of(podsB), subnetIds("Filter.1.Name", "tag:" + CLUSTER_TAG, "Filter.1.Value.1", "shared",
                "Filter.2.Name", "availability-zone", "Filter.2.Value.1", "us-west-2b"));
        assertEquals(List.of(podsA, podsB), subnetIds("Filter.1.Name", "tag:Name", "Filter.1.Value.1", "pods-*"));
        assertEquals(List.of(nodesA, podsB), subnetIds("Filter.1.Name", "subnet-id", "Filter.1.Value.1", nodesA, "Filter.1.Value.2", podsB));
        assertEquals(List.of(podsA), subnetIds("SubnetId.1", podsA, "SubnetId.2", podsB, "Filter.1.Name", "availability-zone",
                "Filter.1.Value.1", "us-west-2a"), "ids and filters together: both must hold");
        assertEquals("InvalidParameterValue", ec2.call("DescribeSubnets", "Filter.1.Name", "colour", "Filter.1.Value.1", "x").errorCode());
    }

    @Test
    void tagsAddedLaterAreFilteredOn() {
        ec2.ok("CreateTags", "ResourceId.1", nodesA, "Tag.1.Key", "team", "Tag.1.Value", "blue");
        assertEquals(List.of(nodesA), subnetIds("Filter.1.Name", "tag:team", "Filter.1.Value.1", "blue"));
    }

    @Test
    void availableAddressCountFollowsEveryTakeAndGiveBack() {
        assertEquals(4096 - 5, available(podsA));
        var eni = ec2.ok("CreateNetworkInterface", "SubnetId", podsA, "SecondaryPrivateIpAddressCount", "3").text("//networkInterfaceId");
        assertEquals(4096 - 5 - 4, available(podsA));
        ec2.ok("AssignPrivateIpAddresses", "NetworkInterfaceId", eni, "Ipv4PrefixCount", "1");
        assertEquals(4096 - 5 - 4 - 16, available(podsA));
        String ip = account.networkInterface(eni).secondaryIps().getFirst();
        account.operator().unassignIp(eni, ip);
        assertEquals(4096 - 5 - 3 - 16, available(podsA));
        account.operator().unassignPrefix(eni, account.networkInterface(eni).prefixes().getFirst());
        assertEquals(4096 - 5 - 3, available(podsA));
        ec2.ok("DeleteNetworkInterface", "NetworkInterfaceId", eni);
        assertEquals(4096 - 5, available(podsA));
        assertEquals(251 - 1, available(nodesA), "the other subnets are untouched");
        assertEquals(4096 - 5, available(podsB));
    }

    @Test
    void anEniAttachesOnlyToAnInstanceOfItsOwnZone() {
        var inB = ec2.ok("CreateNetworkInterface", "SubnetId", podsB).text("//networkInterfaceId");
        var refused = ec2.call("AttachNetworkInterface", "NetworkInterfaceId", inB, "InstanceId", nodeA, "DeviceIndex", "1");
        assertEquals(400, refused.status());
        assertEquals("InvalidParameterCombination", refused.errorCode());
        var message = refused.text("//Message");
        assertTrue(message.contains("same availability zone") && message.contains("us-west-2b") && message.contains("us-west-2a"), message);
        assertEquals("available", account.networkInterface(inB).status(), "nothing was attached");

        var inA = ec2.ok("CreateNetworkInterface", "SubnetId", podsA).text("//networkInterfaceId");
        ec2.ok("AttachNetworkInterface", "NetworkInterfaceId", inA, "InstanceId", nodeA, "DeviceIndex", "1");
        assertEquals("us-west-2a", ec2.ok("DescribeNetworkInterfaces", "NetworkInterfaceId.1", inA)
                .text("//networkInterfaceSet/item/availabilityZone"), "a pod subnet of the node's zone is fine");
    }

    @Test
    void instancesLiveInTheirSubnetsZone() {
        var nodeB = account.launchInstance("m5.large", podsB, List.of());
        assertEquals("us-west-2b", ec2.ok("DescribeInstances", "InstanceId.1", nodeB).text("//instancesSet/item/placement/availabilityZone"));
    }

    @Test
    void createNetworkInterfaceRecordsAndValidatesSecurityGroups() {
        var web = account.createSecurityGroup("web");
        var answer = ec2.ok("CreateNetworkInterface", "SubnetId", podsA, "SecurityGroupId.1", web,
                "SecurityGroupId.2", account.defaultSecurityGroupId());
        var eni = answer.text("//networkInterfaceId");
        assertEquals(List.of(web, account.defaultSecurityGroupId()), answer.texts("//networkInterface/groupSet/item/groupId"));
        assertEquals(List.of(web, account.defaultSecurityGroupId()),
                ec2.ok("DescribeNetworkInterfaces", "NetworkInterfaceId.1", eni).texts("//networkInterfaceSet/item/groupSet/item/groupId"));
        assertEquals(List.of(eni), ec2.ok("DescribeNetworkInterfaces", "Filter.1.Name", "group-id", "Filter.1.Value.1", web)
                .texts("//networkInterfaceSet/item/networkInterfaceId"));

        ec2.ok("ModifyNetworkInterfaceAttribute", "NetworkInterfaceId", eni, "SecurityGroupId.1", web);
        assertEquals(List.of(web), account.networkInterface(eni).securityGroupIds());

        assertEquals("InvalidGroupId.Malformed", ec2.call("CreateNetworkInterface", "SubnetId", podsA, "SecurityGroupId.1", "web").errorCode());
        assertEquals("InvalidGroup.NotFound",
                ec2.call("CreateNetworkInterface", "SubnetId", podsA, "SecurityGroupId.1", "sg-0123456789abcdef0").errorCode());
        var noSubnet = ec2.call("CreateNetworkInterface", "SubnetId", "subnet-0123456789abcdef0");
        assertEquals("InvalidSubnetID.NotFound", noSubnet.errorCode());
        assertTrue(noSubnet.text("//Message").contains("subnet-0123456789abcdef0"), noSubnet.body());
        assertEquals(4096 - 5 - 1, available(podsA), "refused creates take no address");
    }
}
