package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.cloud.CloudException;
import io.vpccni.ipamd.cloud.Ec2Api;
import io.vpccni.ipamd.cloud.Filter;
import io.vpccni.ipamd.cloud.Subnet;
import io.vpccni.ipamd.k8s.InMemoryCluster;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where new ENIs go under custom networking and subnet discovery, and what an operator is told when it cannot be. */
class CustomNetworkingTest {
    private static final String ZONE = "us-west-2a";
    private static final NodeIdentity NODE = new NodeIdentity("i-0123", "m5.large", "subnet-primary", List.of("sg-primary"),
            3, Optional.of("blue"), Map.of());

    private final AtomicInteger describeSubnets = new AtomicInteger();

    /** An EC2 that answers DescribeSubnets only, from {@code subnets}; every other call is a test bug. */
    private Ec2Api ec2(Subnet... subnets) {
        return (Ec2Api) Proxy.newProxyInstance(Ec2Api.class.getClassLoader(), new Class<?>[] {Ec2Api.class}, (proxy, method, args) -> {
            describeSubnets.incrementAndGet();
            return switch (method.getName()) {
                case "describeSubnets" -> {
                    @SuppressWarnings("unchecked") var ids = (List<String>) args[0];
                    yield List.of(subnets).stream().filter(s -> ids.contains(s.id())).toList();
                }
                case "findSubnets" -> {
                    @SuppressWarnings("unchecked") var filters = (List<Filter>) args[0];
                    yield List.of(subnets).stream().filter(s -> filters.stream().allMatch(f -> switch (f.name()) {
                        case "vpc-id" -> f.values().contains(s.vpcId());
                        case "availability-zone" -> f.values().contains(s.availabilityZone());
                        default -> throw new AssertionError("unexpected filter " + f);
                    })).toList();
                }
                default -> throw new AssertionError("unexpected EC2 call " + method.getName());
            };
        });
    }

    private static Subnet subnet(String id, String zone, int free, Map<String, String> tags) {
        return new Subnet(id, "vpc-1", zone, "100.64.0.0/19", free, tags);
    }

    private final InMemoryCluster cluster = new InMemoryCluster()
            .node("ip-10-0-0-1", OptionalInt.empty(), false, Map.of("topology.kubernetes.io/zone", ZONE), Map.of());

    private CustomNetworking custom(Ec2Api ec2) {
        return new CustomNetworking(cluster, cluster, new EniConfigName(EniConfigName.DEFAULT_KEY, "topology.kubernetes.io/zone"),
                ec2, NODE, ZONE);
    }

    @Test
    void theNodesEniConfigGivesTheSubnetAndSecurityGroupsAndNoPodUsesThePrimaryEni() throws Exception {
        cluster.eniConfig(ZONE, "subnet-pods", "sg-pods");
        var placement = custom(ec2(subnet("subnet-pods", ZONE, 8000, Map.of())));
        assertEquals(List.of(new Placement("subnet-pods", List.of("sg-pods"), "ENIConfig us-west-2a")), placement.candidates());
        assertFalse(placement.podsOnPrimaryEni());
    }

    @Test
    void anEniConfigWithoutSecurityGroupsUsesThePrimaryEnisAndAChangeAppliesToTheNextEni() throws Exception {
        cluster.eniConfig(ZONE, "subnet-pods");
        var placement = custom(ec2(subnet("subnet-pods", ZONE, 8000, Map.of()), subnet("subnet-new", ZONE, 8000, Map.of())));
        assertEquals(List.of("sg-primary"), placement.candidates().getFirst().securityGroupIds());
        cluster.eniConfig(ZONE, "subnet-new", "sg-new");
        assertEquals(new Placement("subnet-new", List.of("sg-new"), "ENIConfig us-west-2a"), placement.candidates().getFirst());
        placement.candidates();
        assertEquals(2, describeSubnets.get(), "each subnet is described once");
    }

    @Test
    void aMissingEniConfigSaysWhichNameWasLookedForAndWhy() {
        var e = assertThrows(PlacementException.class, () -> custom(ec2()).candidates());
        assertEquals("EniConfigNotFound", e.reason());
        assertEquals("custom networking: node ip-10-0-0-1 uses ENIConfig 'us-west-2a' (node label topology.kubernetes.io/zone) "
                + "but there is none: create it with the subnet for this node's pods in us-west-2a, or point the node at an "
                + "existing one", e.getMessage());
    }

    @Test
    void anEniConfigWithoutASubnetOrWithAnUnknownOneIsInvalid() {
        cluster.eniConfig(ZONE, " ");
        assertEquals("EniConfigInvalid", assertThrows(PlacementException.class, () -> custom(ec2()).candidates()).reason());
        cluster.eniConfig(ZONE, "subnet-gone");
        var e = assertThrows(PlacementException.class, () -> custom(ec2()).candidates());
        assertTrue(e.getMessage().contains("names subnet subnet-gone, which EC2 does not know"), e.getMessage());
    }

    @Test
    void aSubnetInAnotherZoneIsRefusedBeforeAnyEniIsCreated() {
        cluster.eniConfig(ZONE, "subnet-b");
        var e = assertThrows(PlacementException.class, () -> custom(ec2(subnet("subnet-b", "us-west-2b", 100, Map.of()))).candidates());
        assertEquals("EniConfigWrongZone", e.reason());
        assertTrue(e.getMessage().contains("names subnet subnet-b in us-west-2b, but node ip-10-0-0-1 is in us-west-2a"), e.getMessage());
    }

    @Test
    void beforeTheNodeAndTheEniConfigsAreReadNothingIsDecided() {
        var unsynced = new InMemoryCluster().unsynced();
        var placement = new CustomNetworking(unsynced, unsynced, new EniConfigName(EniConfigName.DEFAULT_KEY, EniConfigName.DEFAULT_KEY),
                ec2(), NODE, ZONE);
        assertEquals("NodeNotRead", assertThrows(PlacementException.class, placement::candidates).reason());
        unsynced.node("n", OptionalInt.empty(), false, Map.of(), Map.of());
        assertEquals("EniConfigsNotRead", assertThrows(PlacementException.class, placement::candidates).reason());
    }

    @Test
    void subnetDiscoveryPrefersTheTaggedSubnetWithMostRoomInTheNodesZone() throws CloudException {
        var discovery = new SubnetDiscovery(ec2(subnet("subnet-primary", ZONE, 20, Map.of()),
                subnet("subnet-big", ZONE, 4000, Map.of(SubnetRanking.ROLE_TAG, "1")),
                subnet("subnet-elsewhere", "us-west-2b", 9000, Map.of(SubnetRanking.ROLE_TAG, "1"))), NODE, "vpc-1", ZONE);
        assertEquals(List.of("subnet-big", "subnet-primary"), discovery.candidates().stream().map(Placement::subnetId).toList());
        assertEquals(List.of("sg-primary"), discovery.candidates().getFirst().securityGroupIds());
    }

    @Test
    void subnetDiscoveryFallsBackToThePrimarySubnetWhenNoneQualifies() throws CloudException {
        var discovery = new SubnetDiscovery(ec2(subnet("subnet-primary", ZONE, 20, Map.of(SubnetRanking.ROLE_TAG, "0"))), NODE,
                "vpc-1", ZONE);
        assertEquals(List.of(new Placement("subnet-primary", List.of("sg-primary"), "the primary ENI's subnet")), discovery.candidates());
    }
}
