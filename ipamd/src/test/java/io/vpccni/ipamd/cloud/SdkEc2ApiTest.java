package io.vpccni.ipamd.cloud;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/** The EC2 Query-protocol contract: exact request parameters, response parsing, error mapping, retries. */
class SdkEc2ApiTest {
    private static final String NS = "xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"";
    private static final String RID = "<requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>";

    private WireMockServer ec2Server;
    private SdkEc2Api ec2;

    @BeforeEach
    void start() {
        ec2Server = new WireMockServer(options().dynamicPort());
        ec2Server.start();
        // No backoff between attempts: the retry count is what is under test, not the delay.
        ec2 = new SdkEc2Api(new SdkEc2Api.Settings(Optional.of(URI.create(ec2Server.baseUrl())), Optional.of("us-west-2"),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")),
                Duration.ofSeconds(10), 5, Optional.of(BackoffStrategy.retryImmediately()), Optional.of("amazon-vpc-cni-k8s/test")));
    }

    @AfterEach
    void stop() {
        ec2.close();
        ec2Server.stop();
    }

    private void answer(String action, String xml) {
        ec2Server.stubFor(post("/").withRequestBody(containing("Action=" + action + "&"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/xml;charset=UTF-8").withBody(xml)));
    }

    private void fail(String action, int status, String code, String message) {
        ec2Server.stubFor(post("/").withRequestBody(containing("Action=" + action + "&"))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "text/xml;charset=UTF-8")
                        .withBody(errorXml(code, message))));
    }

    private static String errorXml(String code, String message) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>" + code + "</Code><Message>"
                + message + "</Message></Error></Errors><RequestID>req-err-1</RequestID></Response>";
    }

    /** The single request's form parameters, in the order sent. */
    private Map<String, String> sentForm() {
        var events = ec2Server.getAllServeEvents();
        assertEquals(1, events.size(), "requests sent");
        var request = events.getFirst().getRequest();
        assertEquals("POST", request.getMethod().getName());
        assertTrue(request.getHeader("Content-Type").startsWith("application/x-www-form-urlencoded"));
        assertTrue(request.getHeader("Authorization").startsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/"),
                "SigV4-signed: " + request.getHeader("Authorization"));
        var form = new LinkedHashMap<String, String>();
        for (var pair : request.getBodyAsString().split("&")) {
            var kv = pair.split("=", 2);
            form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return form;
    }

    private static Map<String, String> params(String action, String... kv) {
        var m = new LinkedHashMap<String, String>();
        m.put("Action", action);
        m.put("Version", "2016-11-15");
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static final String ENI_XML = """
            <networkInterfaceId>eni-0abc</networkInterfaceId>
            <subnetId>subnet-0aaa</subnetId><vpcId>vpc-0aaa</vpcId><availabilityZone>us-west-2a</availabilityZone>
            <description>aws-K8S-i-0123</description><ownerId>111122223333</ownerId><requesterManaged>false</requesterManaged>
            <status>%s</status><macAddress>0A:1B:2C:3D:4E:5F</macAddress><privateIpAddress>10.0.0.10</privateIpAddress>
            <sourceDestCheck>true</sourceDestCheck><groupSet><item><groupId>sg-1</groupId><groupName>default</groupName></item></groupSet>
            %s
            <tagSet><item><key>node.k8s.amazonaws.com/instance_id</key><value>i-0123</value></item></tagSet>
            <privateIpAddressesSet>
              <item><privateIpAddress>10.0.0.10</privateIpAddress><primary>true</primary></item>
              <item><privateIpAddress>10.0.0.11</privateIpAddress><primary>false</primary></item>
              <item><privateIpAddress>10.0.0.12</privateIpAddress><primary>false</primary></item>
            </privateIpAddressesSet>
            <ipv4PrefixSet><item><ipv4Prefix>10.0.0.16/28</ipv4Prefix></item></ipv4PrefixSet>
            <interfaceType>interface</interfaceType>
            """;
    private static final String ATTACHMENT_XML = """
            <attachment><attachmentId>eni-attach-0abc</attachmentId><instanceId>i-0123</instanceId>
              <instanceOwnerId>111122223333</instanceOwnerId><deviceIndex>2</deviceIndex><networkCardIndex>1</networkCardIndex>
              <status>attached</status><attachTime>2025-01-01T00:00:00.000Z</attachTime><deleteOnTermination>true</deleteOnTermination>
            </attachment>""";

    @Test
    void createNetworkInterfaceSendsSubnetGroupsCountAndTagsAndParsesTheEni() throws Exception {
        answer("CreateNetworkInterface", "<CreateNetworkInterfaceResponse " + NS + ">" + RID + "<networkInterface>"
                + ENI_XML.formatted("pending", "") + "</networkInterface></CreateNetworkInterfaceResponse>");

        var eni = ec2.createNetworkInterface(new CreateEniRequest("subnet-0aaa", List.of("sg-1", "sg-2"),
                "aws-K8S-i-0123", 2, 0, Map.of("node.k8s.amazonaws.com/instance_id", "i-0123",
                "node.k8s.amazonaws.com/createdAt", "2025-01-01T00:00:00Z")));

        assertEquals(params("CreateNetworkInterface",
                "SubnetId", "subnet-0aaa",
                "Description", "aws-K8S-i-0123",
                "SecondaryPrivateIpAddressCount", "2",
                "SecurityGroupId.1", "sg-1",
                "SecurityGroupId.2", "sg-2",
                "TagSpecification.1.ResourceType", "network-interface",
                "TagSpecification.1.Tag.1.Key", "node.k8s.amazonaws.com/createdAt",
                "TagSpecification.1.Tag.1.Value", "2025-01-01T00:00:00Z",
                "TagSpecification.1.Tag.2.Key", "node.k8s.amazonaws.com/instance_id",
                "TagSpecification.1.Tag.2.Value", "i-0123"), sortedForm(withoutClientToken(sentForm())));

        assertEquals("eni-0abc", eni.eniId());
        assertEquals("0a:1b:2c:3d:4e:5f", eni.mac());
        assertEquals("subnet-0aaa", eni.subnetId());
        assertEquals("vpc-0aaa", eni.vpcId());
        assertEquals("10.0.0.10", eni.privateIp());
        assertEquals(List.of("10.0.0.11", "10.0.0.12"), eni.secondaryIps());
        assertEquals(List.of("10.0.0.16/28"), eni.prefixes());
        assertEquals(Optional.empty(), eni.attachment());
        assertEquals("pending", eni.status());
        assertEquals("aws-K8S-i-0123", eni.description());
        assertEquals(Map.of("node.k8s.amazonaws.com/instance_id", "i-0123"), eni.tags());
    }

    /** CreateNetworkInterface carries an SDK-generated idempotency token: present, a UUID, and otherwise free. */
    private static Map<String, String> withoutClientToken(Map<String, String> form) {
        var token = form.remove("ClientToken");
        assertNotNull(token, "ClientToken");
        assertDoesNotThrow(() -> java.util.UUID.fromString(token));
        return form;
    }

    @Test
    void aRetriedCreateReusesItsClientTokenSoEc2CreatesOneEni() throws Exception {
        var throttled = aResponse().withStatus(503).withHeader("Content-Type", "text/xml")
                .withBody(errorXml("RequestLimitExceeded", "Request limit exceeded."));
        ec2Server.stubFor(post("/").inScenario("throttle").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(throttled).willSetStateTo("once"));
        ec2Server.stubFor(post("/").inScenario("throttle").whenScenarioStateIs("once")
                .willReturn(okXml("<CreateNetworkInterfaceResponse " + NS + ">" + RID + "<networkInterface>"
                        + ENI_XML.formatted("pending", "") + "</networkInterface></CreateNetworkInterfaceResponse>")));

        ec2.createNetworkInterface(new CreateEniRequest("subnet-0aaa", List.of(), "aws-K8S-i-0123", 1, 0, Map.of()));

        var tokens = ec2Server.getAllServeEvents().stream().map(e -> e.getRequest().getBodyAsString())
                .map(b -> b.replaceAll(".*ClientToken=([^&]+).*", "$1")).distinct().toList();
        assertEquals(2, ec2Server.getAllServeEvents().size());
        assertEquals(1, tokens.size(), "one token across attempts: " + tokens);
    }

    /** Action and Version first, then the rest by key, so that the comparison does not depend on SDK order. */
    private static Map<String, String> sortedForm(Map<String, String> form) {
        var out = new LinkedHashMap<String, String>();
        out.put("Action", form.get("Action"));
        out.put("Version", form.get("Version"));
        form.keySet().stream().filter(k -> !k.equals("Action") && !k.equals("Version")).sorted()
                .forEach(k -> out.put(k, form.get(k)));
        return out;
    }

    private static void assertForm(Map<String, String> expected, Map<String, String> actual) {
        assertEquals(sortedForm(expected), sortedForm(actual));
    }

    @Test
    void createNetworkInterfaceWithPrefixesSendsIpv4PrefixCountOnly() throws Exception {
        answer("CreateNetworkInterface", "<CreateNetworkInterfaceResponse " + NS + ">" + RID + "<networkInterface>"
                + ENI_XML.formatted("pending", "") + "</networkInterface></CreateNetworkInterfaceResponse>");

        ec2.createNetworkInterface(new CreateEniRequest("subnet-0aaa", List.of("sg-1"), "aws-K8S-i-0123", 0, 1, Map.of()));

        assertForm(params("CreateNetworkInterface", "SubnetId", "subnet-0aaa", "Description", "aws-K8S-i-0123",
                "Ipv4PrefixCount", "1", "SecurityGroupId.1", "sg-1"), withoutClientToken(sentForm()));
    }

    @Test
    void attachSendsDeviceIndexAndCardAndReturnsTheAttachmentId() throws Exception {
        answer("AttachNetworkInterface", "<AttachNetworkInterfaceResponse " + NS + ">" + RID
                + "<attachmentId>eni-attach-0abc</attachmentId><networkCardIndex>0</networkCardIndex></AttachNetworkInterfaceResponse>");

        assertEquals("eni-attach-0abc", ec2.attach("eni-0abc", "i-0123", 3, 0));
        assertForm(params("AttachNetworkInterface", "NetworkInterfaceId", "eni-0abc", "InstanceId", "i-0123",
                "DeviceIndex", "3", "NetworkCardIndex", "0"), sentForm());
    }

    @Test
    void setDeleteOnTerminationModifiesTheAttachment() throws Exception {
        answer("ModifyNetworkInterfaceAttribute", "<ModifyNetworkInterfaceAttributeResponse " + NS + ">" + RID
                + "<return>true</return></ModifyNetworkInterfaceAttributeResponse>");

        ec2.setDeleteOnTermination("eni-0abc", "eni-attach-0abc", true);
        assertForm(params("ModifyNetworkInterfaceAttribute", "NetworkInterfaceId", "eni-0abc",
                "Attachment.AttachmentId", "eni-attach-0abc", "Attachment.DeleteOnTermination", "true"), sentForm());
    }

    @Test
    void describeNetworkInterfacesByIdParsesAttachment() throws Exception {
        answer("DescribeNetworkInterfaces", "<DescribeNetworkInterfacesResponse " + NS + ">" + RID
                + "<networkInterfaceSet><item>" + ENI_XML.formatted("in-use", ATTACHMENT_XML)
                + "</item></networkInterfaceSet></DescribeNetworkInterfacesResponse>");

        var enis = ec2.describeNetworkInterfaces(List.of("eni-0abc", "eni-0def"));

        assertForm(params("DescribeNetworkInterfaces", "NetworkInterfaceId.1", "eni-0abc",
                "NetworkInterfaceId.2", "eni-0def"), sentForm());
        assertEquals(1, enis.size());
        var eni = enis.getFirst();
        assertEquals("in-use", eni.status());
        assertEquals(Optional.of(new NetworkInterface.Attachment("eni-attach-0abc", "i-0123", 2, 1, "attached", true)),
                eni.attachment());
        assertEquals(Optional.of("eni-attach-0abc"), eni.attachmentId());
    }

    @ParameterizedTest
    @CsvSource({"interface, INTERFACE", "trunk, TRUNK", "branch, BRANCH", "efa, EFA", "efa-only, EFA_ONLY",
            "natGateway, OTHER"})
    void describeNetworkInterfacesReadsWhatEc2SaysTheEniIsFor(String ec2Type, InterfaceType expected) throws Exception {
        answer("DescribeNetworkInterfaces", "<DescribeNetworkInterfacesResponse " + NS + ">" + RID
                + "<networkInterfaceSet><item>" + ENI_XML.formatted("in-use", ATTACHMENT_XML)
                .replace("<interfaceType>interface</interfaceType>", "<interfaceType>" + ec2Type + "</interfaceType>")
                + "</item></networkInterfaceSet></DescribeNetworkInterfacesResponse>");

        assertEquals(expected, ec2.describeNetworkInterfaces(List.of("eni-0abc")).getFirst().interfaceType());
    }

    @Test
    void anEniDescribedWithoutATypeIsAPlainInterface() throws Exception {
        answer("DescribeNetworkInterfaces", "<DescribeNetworkInterfacesResponse " + NS + ">" + RID
                + "<networkInterfaceSet><item>" + ENI_XML.formatted("in-use", ATTACHMENT_XML)
                .replace("<interfaceType>interface</interfaceType>", "")
                + "</item></networkInterfaceSet></DescribeNetworkInterfacesResponse>");

        assertEquals(InterfaceType.INTERFACE, ec2.describeNetworkInterfaces(List.of("eni-0abc")).getFirst().interfaceType());
    }

    @Test
    void describeNetworkInterfacesWithNoIdsAsksNothing() throws Exception {
        assertEquals(List.of(), ec2.describeNetworkInterfaces(List.of()));
        assertEquals(0, ec2Server.getAllServeEvents().size());
    }

    @Test
    void findNetworkInterfacesSendsFiltersAndFollowsPages() throws Exception {
        ec2Server.stubFor(post("/").withRequestBody(containing("Action=DescribeNetworkInterfaces&"))
                .withRequestBody(notContaining("NextToken")).willReturn(okXml("<DescribeNetworkInterfacesResponse " + NS + ">"
                        + RID + "<networkInterfaceSet><item>" + ENI_XML.formatted("available", "")
                        + "</item></networkInterfaceSet><nextToken>page-2</nextToken></DescribeNetworkInterfacesResponse>")));
        ec2Server.stubFor(post("/").withRequestBody(containing("NextToken=page-2"))
                .willReturn(okXml("<DescribeNetworkInterfacesResponse " + NS + ">" + RID + "<networkInterfaceSet><item>"
                        + ENI_XML.formatted("available", "").replace("eni-0abc", "eni-0def")
                        + "</item></networkInterfaceSet></DescribeNetworkInterfacesResponse>")));

        var enis = ec2.findNetworkInterfaces(List.of(Filter.of("tag-key", "node.k8s.amazonaws.com/instance_id"),
                Filter.of("status", "available"), Filter.of("vpc-id", "vpc-0aaa")));

        assertEquals(List.of("eni-0abc", "eni-0def"), enis.stream().map(NetworkInterface::eniId).toList());
        var first = ec2Server.getAllServeEvents().getLast().getRequest().getBodyAsString();
        var form = new LinkedHashMap<String, String>();
        for (var pair : first.split("&")) {
            var kv = pair.split("=", 2);
            form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        assertForm(params("DescribeNetworkInterfaces", "MaxResults", "1000",
                "Filter.1.Name", "tag-key", "Filter.1.Value.1", "node.k8s.amazonaws.com/instance_id",
                "Filter.2.Name", "status", "Filter.2.Value.1", "available",
                "Filter.3.Name", "vpc-id", "Filter.3.Value.1", "vpc-0aaa"), form);
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder okXml(String xml) {
        return aResponse().withStatus(200).withHeader("Content-Type", "text/xml;charset=UTF-8").withBody(xml);
    }

    @Test
    void assignPrivateIpsReturnsTheAssignedAddresses() throws Exception {
        answer("AssignPrivateIpAddresses", "<AssignPrivateIpAddressesResponse " + NS + ">" + RID
                + "<networkInterfaceId>eni-0abc</networkInterfaceId><assignedPrivateIpAddressesSet>"
                + "<item><privateIpAddress>10.0.0.20</privateIpAddress></item>"
                + "<item><privateIpAddress>10.0.0.21</privateIpAddress></item>"
                + "</assignedPrivateIpAddressesSet><return>true</return></AssignPrivateIpAddressesResponse>");

        assertEquals(List.of("10.0.0.20", "10.0.0.21"), ec2.assignPrivateIps("eni-0abc", 2));
        assertForm(params("AssignPrivateIpAddresses", "NetworkInterfaceId", "eni-0abc",
                "SecondaryPrivateIpAddressCount", "2"), sentForm());
    }

    @Test
    void assignPrefixesReturnsTheAssignedPrefixes() throws Exception {
        answer("AssignPrivateIpAddresses", "<AssignPrivateIpAddressesResponse " + NS + ">" + RID
                + "<networkInterfaceId>eni-0abc</networkInterfaceId><assignedIpv4PrefixSet>"
                + "<item><ipv4Prefix>10.0.0.48/28</ipv4Prefix></item>"
                + "</assignedIpv4PrefixSet><return>true</return></AssignPrivateIpAddressesResponse>");

        assertEquals(List.of("10.0.0.48/28"), ec2.assignPrefixes("eni-0abc", 1));
        assertForm(params("AssignPrivateIpAddresses", "NetworkInterfaceId", "eni-0abc", "Ipv4PrefixCount", "1"), sentForm());
    }

    @Test
    void unassignPrivateIpsListsEachAddress() throws Exception {
        answer("UnassignPrivateIpAddresses", "<UnassignPrivateIpAddressesResponse " + NS + ">" + RID
                + "<return>true</return></UnassignPrivateIpAddressesResponse>");

        ec2.unassignPrivateIps("eni-0abc", List.of("10.0.0.11", "10.0.0.12"));
        assertForm(params("UnassignPrivateIpAddresses", "NetworkInterfaceId", "eni-0abc",
                "PrivateIpAddress.1", "10.0.0.11", "PrivateIpAddress.2", "10.0.0.12"), sentForm());
    }

    @Test
    void unassignPrefixesListsEachPrefix() throws Exception {
        answer("UnassignPrivateIpAddresses", "<UnassignPrivateIpAddressesResponse " + NS + ">" + RID
                + "<return>true</return></UnassignPrivateIpAddressesResponse>");

        ec2.unassignPrefixes("eni-0abc", List.of("10.0.0.16/28"));
        assertForm(params("UnassignPrivateIpAddresses", "NetworkInterfaceId", "eni-0abc",
                "Ipv4Prefix.1", "10.0.0.16/28"), sentForm());
    }

    @Test
    void unassignNothingAsksNothing() throws Exception {
        ec2.unassignPrivateIps("eni-0abc", List.of());
        ec2.unassignPrefixes("eni-0abc", List.of());
        assertEquals(0, ec2Server.getAllServeEvents().size());
    }

    @Test
    void detachSendsAttachmentAndForce() throws Exception {
        answer("DetachNetworkInterface", "<DetachNetworkInterfaceResponse " + NS + ">" + RID
                + "<return>true</return></DetachNetworkInterfaceResponse>");

        ec2.detach("eni-attach-0abc", true);
        assertForm(params("DetachNetworkInterface", "AttachmentId", "eni-attach-0abc", "Force", "true"), sentForm());
    }

    @Test
    void deleteSendsTheEniId() throws Exception {
        answer("DeleteNetworkInterface", "<DeleteNetworkInterfaceResponse " + NS + ">" + RID
                + "<return>true</return></DeleteNetworkInterfaceResponse>");

        ec2.delete("eni-0abc");
        assertForm(params("DeleteNetworkInterface", "NetworkInterfaceId", "eni-0abc"), sentForm());
    }

    @Test
    void describeInstanceReportsUsedDeviceIndexesPerCard() throws Exception {
        answer("DescribeInstances", "<DescribeInstancesResponse " + NS + ">" + RID + "<reservationSet><item>"
                + "<reservationId>r-1</reservationId><ownerId>111122223333</ownerId><instancesSet><item>"
                + "<instanceId>i-0123</instanceId><instanceType>p5.48xlarge</instanceType>"
                + "<subnetId>subnet-0aaa</subnetId><vpcId>vpc-0aaa</vpcId><networkInterfaceSet>"
                + nic("eni-0", "eni-attach-0", 0, 0) + nic("eni-1", "eni-attach-1", 1, 0)
                + nic("eni-2", "eni-attach-2", 0, 1) + nic("eni-3", "eni-attach-3", 3, 0).replace("<attachment>",
                "<interfaceType>trunk</interfaceType><attachment>")
                + "</networkInterfaceSet></item></instancesSet></item></reservationSet></DescribeInstancesResponse>");

        var instance = ec2.describeInstance("i-0123");

        assertForm(params("DescribeInstances", "InstanceId.1", "i-0123"), sentForm());
        assertEquals("p5.48xlarge", instance.instanceType());
        assertEquals("subnet-0aaa", instance.subnetId());
        assertEquals(Set.of(0, 1, 3), instance.usedDeviceIndexes(0));
        assertEquals(Set.of(0), instance.usedDeviceIndexes(1));
        assertEquals(2, instance.freeDeviceIndex(0, 4));
        assertEquals(1, instance.freeDeviceIndex(1, 4));
        assertEquals(-1, instance.freeDeviceIndex(0, 2));
        assertEquals(List.of(InterfaceType.INTERFACE, InterfaceType.INTERFACE, InterfaceType.INTERFACE, InterfaceType.TRUNK),
                instance.enis().stream().map(Instance.AttachedEni::interfaceType).toList());
    }

    private static String nic(String eni, String attachment, int device, int card) {
        return "<item><networkInterfaceId>" + eni + "</networkInterfaceId><attachment><attachmentId>" + attachment
                + "</attachmentId><deviceIndex>" + device + "</deviceIndex><networkCardIndex>" + card
                + "</networkCardIndex><status>attached</status></attachment></item>";
    }

    @Test
    void describeInstanceWithNoSuchInstanceIsAnErrorNamingIt() {
        answer("DescribeInstances", "<DescribeInstancesResponse " + NS + ">" + RID
                + "<reservationSet/></DescribeInstancesResponse>");

        var e = assertThrows(CloudException.Failed.class, () -> ec2.describeInstance("i-0123"));
        assertTrue(e.getMessage().contains("DescribeInstances") && e.getMessage().contains("i-0123"), e.getMessage());
    }

    @Test
    void describeSubnetsParsesCidrFreeCountAndTags() throws Exception {
        answer("DescribeSubnets", "<DescribeSubnetsResponse " + NS + ">" + RID + "<subnetSet><item>"
                + "<subnetId>subnet-0aaa</subnetId><state>available</state><vpcId>vpc-0aaa</vpcId>"
                + "<cidrBlock>10.0.0.0/24</cidrBlock><availableIpAddressCount>250</availableIpAddressCount>"
                + "<availabilityZone>us-west-2a</availabilityZone><tagSet><item><key>kubernetes.io/role/cni</key>"
                + "<value>1</value></item></tagSet></item></subnetSet></DescribeSubnetsResponse>");

        var subnets = ec2.describeSubnets(List.of("subnet-0aaa"));

        assertForm(params("DescribeSubnets", "SubnetId.1", "subnet-0aaa"), sentForm());
        assertEquals(List.of(new Subnet("subnet-0aaa", "vpc-0aaa", "us-west-2a", "10.0.0.0/24", 250,
                Map.of("kubernetes.io/role/cni", "1"))), subnets);
    }

    @Test
    void findSubnetsSendsFilters() throws Exception {
        answer("DescribeSubnets", "<DescribeSubnetsResponse " + NS + ">" + RID + "<subnetSet/></DescribeSubnetsResponse>");

        assertEquals(List.of(), ec2.findSubnets(List.of(Filter.of("vpc-id", "vpc-0aaa"),
                Filter.of("tag:kubernetes.io/role/cni", "1"))));
        assertForm(params("DescribeSubnets", "Filter.1.Name", "vpc-id", "Filter.1.Value.1", "vpc-0aaa",
                "Filter.2.Name", "tag:kubernetes.io/role/cni", "Filter.2.Value.1", "1"), sentForm());
    }

    @Test
    void describeInstanceTypeParsesNetworkLimits() throws Exception {
        answer("DescribeInstanceTypes", "<DescribeInstanceTypesResponse " + NS + ">" + RID + "<instanceTypeSet><item>"
                + "<instanceType>m5.large</instanceType><hypervisor>nitro</hypervisor><bareMetal>false</bareMetal>"
                + "<networkInfo><maximumNetworkInterfaces>3</maximumNetworkInterfaces>"
                + "<ipv4AddressesPerInterface>10</ipv4AddressesPerInterface><defaultNetworkCardIndex>0</defaultNetworkCardIndex>"
                + "<networkCards><item><networkCardIndex>0</networkCardIndex><maximumNetworkInterfaces>3</maximumNetworkInterfaces>"
                + "</item></networkCards></networkInfo></item></instanceTypeSet></DescribeInstanceTypesResponse>");

        var type = ec2.describeInstanceType("m5.large");

        assertForm(params("DescribeInstanceTypes", "InstanceType.1", "m5.large"), sentForm());
        assertEquals(new InstanceTypeInfo("m5.large", 3, 10, Map.of(0, 3), 0, "nitro", false), type);
        assertTrue(type.supportsPrefixDelegation());
    }

    @Test
    void createTagsSendsResourcesAndTagsInKeyOrder() throws Exception {
        answer("CreateTags", "<CreateTagsResponse " + NS + ">" + RID + "<return>true</return></CreateTagsResponse>");

        ec2.createTags(List.of("eni-0abc"), Map.of("node.k8s.amazonaws.com/createdAt", "2025-01-01T00:00:00Z",
                "cluster.k8s.amazonaws.com/name", "prod"));
        assertForm(params("CreateTags", "ResourceId.1", "eni-0abc",
                "Tag.1.Key", "cluster.k8s.amazonaws.com/name", "Tag.1.Value", "prod",
                "Tag.2.Key", "node.k8s.amazonaws.com/createdAt", "Tag.2.Value", "2025-01-01T00:00:00Z"), sentForm());
    }

    @Test
    void throttlingIsRetriedUntilItSucceeds() throws Exception {
        var throttled = aResponse().withStatus(503).withHeader("Content-Type", "text/xml")
                .withBody(errorXml("RequestLimitExceeded", "Request limit exceeded."));
        ec2Server.stubFor(post("/").inScenario("throttle").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(throttled).willSetStateTo("once"));
        ec2Server.stubFor(post("/").inScenario("throttle").whenScenarioStateIs("once")
                .willReturn(throttled).willSetStateTo("twice"));
        ec2Server.stubFor(post("/").inScenario("throttle").whenScenarioStateIs("twice")
                .willReturn(okXml("<DeleteNetworkInterfaceResponse " + NS + ">" + RID
                        + "<return>true</return></DeleteNetworkInterfaceResponse>")));

        ec2.delete("eni-0abc");

        ec2Server.verify(3, postRequestedFor(urlEqualTo("/")).withRequestBody(containing("Action=DeleteNetworkInterface&")));
    }

    @Test
    void persistentThrottlingGivesUpAfterBoundedAttempts() {
        fail("DeleteNetworkInterface", 503, "RequestLimitExceeded", "Request limit exceeded.");

        var e = assertThrows(CloudException.Throttled.class, () -> ec2.delete("eni-0abc"));
        assertTrue(e.retryable());
        ec2Server.verify(5, postRequestedFor(urlEqualTo("/")));
        assertTrue(e.getMessage().contains("DeleteNetworkInterface") && e.getMessage().contains("eni-0abc"), e.getMessage());
    }

    @Test
    void unauthorizedOperationNamesTheMissingPermission() {
        fail("CreateNetworkInterface", 403, "UnauthorizedOperation", "You are not authorized to perform this operation.");

        var e = assertThrows(CloudException.MissingPermission.class, () -> ec2.createNetworkInterface(
                new CreateEniRequest("subnet-0aaa", List.of(), "aws-K8S-i-0123", 1, 0, Map.of())));
        assertEquals("ec2:CreateNetworkInterface", e.permission());
        assertEquals(Optional.of("UnauthorizedOperation"), e.errorCode());
        assertEquals("CreateNetworkInterface", e.api());
        assertEquals("subnet subnet-0aaa", e.object());
        assertTrue(e.getMessage().contains("ec2:CreateNetworkInterface"), e.getMessage());
        assertTrue(e.getMessage().contains("subnet-0aaa"), e.getMessage());
        assertFalse(e.retryable());
        ec2Server.verify(1, postRequestedFor(urlEqualTo("/")));
    }

    @ParameterizedTest
    @CsvSource({
            "InsufficientFreeAddressesInSubnet, SubnetExhausted, false",
            "InsufficientCidrBlocks,            SubnetExhausted, false",
            "PrivateIpAddressLimitExceeded,     EniFull,         false",
            "InvalidNetworkInterfaceID.NotFound, NotFound,       false",
            "InvalidParameterValue,             Failed,          false",
    })
    void errorCodesMapToWhatTheCallerMustDo(String code, String kind, boolean retryable) {
        fail("AssignPrivateIpAddresses", 400, code, "details from EC2");

        var e = assertThrows(CloudException.class, () -> ec2.assignPrefixes("eni-0abc", 1));
        assertEquals(kind, e.getClass().getSimpleName());
        assertEquals(retryable, e.retryable());
        assertEquals(Optional.of(code), e.errorCode());
        assertEquals(Optional.of("req-err-1"), e.requestId());
        assertTrue(e.getMessage().startsWith("EC2 AssignPrivateIpAddresses on eni-0abc"), e.getMessage());
        assertTrue(e.getMessage().contains(code) && e.getMessage().contains("details from EC2"), e.getMessage());
        ec2Server.verify(1, postRequestedFor(urlEqualTo("/")));
    }

    @Test
    void anEndpointThatDoesNotAnswerIsARetryableFailure() throws Exception {
        int port;
        try (var s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (var dead = new SdkEc2Api(new SdkEc2Api.Settings(Optional.of(URI.create("http://127.0.0.1:" + port)),
                Optional.of("us-west-2"), StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")),
                Duration.ofSeconds(10), 2, Optional.of(BackoffStrategy.retryImmediately()), Optional.empty()))) {
            var e = assertThrows(CloudException.Failed.class, () -> dead.delete("eni-0abc"));
            assertTrue(e.retryable());
            assertEquals(Optional.empty(), e.errorCode());
            assertTrue(e.getMessage().contains("DeleteNetworkInterface on eni-0abc"), e.getMessage());
        }
    }

    @ParameterizedTest
    @CsvSource(value = {"'',10", "5,10", "10,10", "30,30", "abc,10"}, nullValues = "NULL")
    void httpTimeoutIsSecondsWithAFloorOfTen(String value, long seconds) {
        assertEquals(Duration.ofSeconds(seconds), SdkEc2Api.httpTimeout(value));
        assertEquals(Duration.ofSeconds(10), SdkEc2Api.httpTimeout(null));
    }
}
