package io.vpccni.simcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The DescribeNetworkInterfaces queries a cluster-wide leaked-ENI sweep makes, over ENIs of two clusters and a stranger. */
class ClusterSweepFiltersTest {
    private static final String CLUSTER = "cluster.k8s.amazonaws.com/name";
    private static final String INSTANCE = "node.k8s.amazonaws.com/instance_id";
    private final ManualClock clock = new ManualClock();
    private SimulatedAccount account;
    private Ec2Server server;
    private Ec2TestClient ec2;
    private String leakedA;
    private String leakedB;
    private String attachedA;
    private String otherCluster;
    private String stranger;
    private String primaryA;
    private String primaryB;

    @BeforeEach
    void setUp() throws Exception {
        account = new SimulatedAccount("111122223333", "10.0.0.0/16", clock, 7);
        var subnet = account.createSubnet("10.0.1.0/24", "us-west-2a");
        var a = account.launchInstance("m5.large", subnet, List.of());
        var b = account.launchInstance("m5.large", subnet, List.of());
        leakedA = eni(subnet, "aws-K8S-" + a, Map.of(CLUSTER, "demo", INSTANCE, a));
        leakedB = eni(subnet, "aws-K8S-" + b, Map.of(CLUSTER, "demo", INSTANCE, b));
        attachedA = eni(subnet, "aws-K8S-" + a, Map.of(CLUSTER, "demo", INSTANCE, a));
        account.operator().attach(attachedA, a, 1);
        otherCluster = eni(subnet, "aws-K8S-i-0000000000000000f", Map.of(CLUSTER, "prod", INSTANCE, "i-0000000000000000f"));
        stranger = eni(subnet, "a load balancer", Map.of());
        primaryA = account.instance(a).primaryInterface().id();
        primaryB = account.instance(b).primaryInterface().id();
        account.operator().terminate(b);  // its primary was delete-on-termination; leakedB was never attached
        server = Ec2Server.start(clock);
        server.register("AKIDTEST", account);
        ec2 = new Ec2TestClient(server.uri(), "AKIDTEST");
    }

    @AfterEach
    void tearDown() {
        if (server != null) server.close();
    }

    private String eni(String subnet, String description, Map<String, String> tags) {
        return account.createNetworkInterface(new SimulatedAccount.CreateEni(subnet, List.of(), description, 0, 0, tags)).id();
    }

    private List<String> ids(String... params) {
        return ec2.ok("DescribeNetworkInterfaces", params).texts("//networkInterfaceSet/item/networkInterfaceId");
    }

    @Test
    void theClusterTagStatusAndVpcFindEveryLeakOfTheClusterAndNothingElse() {
        assertEquals(List.of(leakedA, leakedB), ids("Filter.1.Name", "tag:" + CLUSTER, "Filter.1.Value.1", "demo",
                "Filter.2.Name", "status", "Filter.2.Value.1", "available", "Filter.3.Name", "vpc-id", "Filter.3.Value.1", account.vpcId()));
    }

    @Test
    void eachFilterAlone() {
        assertEquals(List.of(leakedA, leakedB, attachedA, otherCluster), ids("Filter.1.Name", "tag-key", "Filter.1.Value.1", CLUSTER));
        assertEquals(List.of(leakedA, leakedB, attachedA, otherCluster), ids("Filter.1.Name", "description", "Filter.1.Value.1", "aws-K8S-*"));
        assertEquals(List.of(leakedA, leakedB, otherCluster, stranger), ids("Filter.1.Name", "status", "Filter.1.Value.1", "available"));
        assertEquals(List.of(primaryA, attachedA), ids("Filter.1.Name", "status", "Filter.1.Value.1", "in-use"));
        assertEquals(List.of(), ids("Filter.1.Name", "network-interface-id", "Filter.1.Value.1", primaryB),
                "the terminated node's primary went with it");
        assertEquals(List.of(leakedA, leakedB, attachedA, otherCluster),
                ids("Filter.1.Name", "tag:" + CLUSTER, "Filter.1.Value.1", "demo", "Filter.1.Value.2", "prod"));
        assertEquals(List.of(), ids("Filter.1.Name", "vpc-id", "Filter.1.Value.1", "vpc-0000000000000000f"));
    }

    @Test
    void aPagedSweepSeesEveryMatchOnce() {
        var first = ec2.ok("DescribeNetworkInterfaces", "Filter.1.Name", "tag-key", "Filter.1.Value.1", CLUSTER, "MaxResults", "5");
        assertEquals(4, first.texts("//networkInterfaceSet/item").size());
        assertEquals("", first.text("//nextToken"));
    }
}
