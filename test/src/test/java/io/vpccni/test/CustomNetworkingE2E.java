package io.vpccni.test;

import io.vpccni.test.cluster.LoopbackApiServer;
import io.vpccni.test.node.NodeUnderTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import static io.vpccni.test.cluster.LoopbackApiServer.ZONE_LABEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Custom networking with the real daemon and plugin: the node is labelled with its zone, the daemon reads the
 * ENIConfig of that zone from the API server (ENI_CONFIG_LABEL_DEF=topology.kubernetes.io/zone) and puts its new ENIs
 * in that ENIConfig's subnet (100.64.0.0/19, a second CIDR of the VPC) with its security group; pods get addresses
 * only there, none on the primary ENI. A node whose ENIConfig is missing says so with a Warning event on its aws-node
 * pod and creates no ENI; once the ENIConfig is created, the same daemon serves pods.
 */
@EnabledIfSystemProperty(named = "vpccni.netns", matches = "private", disabledReason = "needs root and test/bin/java-in-netns")
class CustomNetworkingE2E {
    private static final String ZONE = "us-west-2a";
    private static final String POD = "aws-node-x7k2p";

    @TempDir
    Path dir;

    private static Map<String, String> customNetworking(LoopbackApiServer api, Path dir, String nodeName) {
        var env = new HashMap<>(api.daemonEnv(dir, nodeName, POD));
        env.put("AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG", "true");
        env.put("ENI_CONFIG_LABEL_DEF", ZONE_LABEL);
        return env;
    }

    @Test
    void podsGetAddressesInTheSubnetOfTheirZonesEniConfig() throws Exception {
        try (var api = new LoopbackApiServer(); var node = new NodeUnderTest("cn", "m5.large", dir)) {
            var account = node.cloud.account;
            account.addVpcCidr("100.64.0.0/16");
            var podSubnet = account.createSubnet("100.64.0.0/19", ZONE);
            var podGroup = account.createSecurityGroup("pods");
            var name = node.nodeName();
            api.createNode(name, Map.of(ZONE_LABEL, ZONE), OptionalInt.of(29));
            api.createAwsNodePod("kube-system", POD, name);
            api.createEniConfig(ZONE, podSubnet, List.of(podGroup));
            node.start(customNetworking(api, dir, name));

            var ips = new LinkedHashMap<String, String>();
            for (var i = 1; i <= 12; i++) {  // more than one ENI holds (9 on an m5.large)
                ips.put("pod-" + i, node.addUntilServed("pod-" + i, Duration.ofSeconds(60)));
            }
            var primary = node.primaryEni();
            for (var pod : ips.entrySet()) {
                var eni = node.eniHolding(pod.getValue()).orElseThrow(() -> new AssertionError(pod + ": no ENI holds it in EC2"));
                assertEquals(podSubnet, eni.subnetId(), pod + " is in the ENIConfig's subnet");
                assertTrue(pod.getValue().startsWith("100.64."), pod.toString());
                assertNotEquals(primary.id(), eni.id(), pod + " is not on the primary ENI");
                assertEquals(node.cloud.instanceId, eni.attachment().orElseThrow().instanceId());
            }
            assertEquals(List.of(), node.primaryEni().secondaryIps(), "the primary ENI holds no pod address");
            var secondaries = node.attachedEnis().stream().filter(e -> !e.id().equals(primary.id())).toList();
            assertTrue(secondaries.size() >= 2, "12 pods need two ENIs: " + secondaries);
            for (var eni : secondaries) {
                assertEquals(podSubnet, eni.subnetId(), eni.id());
                assertEquals(List.of(podGroup), eni.securityGroupIds(), eni.id() + " carries the ENIConfig's security group");
            }
            // The VPC resource controller learns the node's ENIConfig from its CNINode.
            node.await(Duration.ofSeconds(30), "the CNINode advertises CustomNetworking",
                    () -> api.cniNodeFeatures(name).contains("CustomNetworking=" + ZONE), () -> "" + api.cniNodeFeatures(name));
            for (var pod : ips.keySet()) {
                var del = node.del(pod);
                assertEquals(0, del.exit(), pod + ": " + del.stdout());
            }
        }
    }

    @Test
    void aMissingEniConfigIsAWarningEventAndNoEniUntilItIsCreated() throws Exception {
        try (var api = new LoopbackApiServer(); var node = new NodeUnderTest("cnmiss", "m5.large", dir)) {
            var account = node.cloud.account;
            account.addVpcCidr("100.64.0.0/16");
            var podSubnet = account.createSubnet("100.64.0.0/19", ZONE);
            var podGroup = account.createSecurityGroup("pods");
            var name = node.nodeName();
            api.createNode(name, Map.of(ZONE_LABEL, ZONE), OptionalInt.of(29));
            api.createAwsNodePod("kube-system", POD, name);
            node.start(customNetworking(api, dir, name));

            node.await(Duration.ofSeconds(30), "a Warning event EniConfigNotFound", () -> !api.events("EniConfigNotFound").isEmpty(),
                    () -> "events: " + api.events().stream().map(e -> e.getReason() + ": " + e.getMessage()).toList());
            var event = api.events("EniConfigNotFound").getFirst();
            assertEquals("Warning", event.getType());
            assertEquals("Pod", event.getInvolvedObject().getKind());
            assertEquals(POD, event.getInvolvedObject().getName(), "posted on the aws-node pod");
            assertTrue(event.getMessage().contains("'" + ZONE + "'") && event.getMessage().contains(ZONE_LABEL), event.getMessage());
            var add = node.add("pod-1");
            assertTrue(add.stdout().contains("\"code\":11"), "no address without an ENI: " + add.stdout());
            assertEquals(0, node.ec2Calls().calls("CreateNetworkInterface"), "no ENI was created");
            assertEquals(1, node.attachedEnis().size());

            var created = System.nanoTime();
            api.createEniConfig(ZONE, podSubnet, List.of(podGroup));
            var ip = node.addUntilServed("pod-1", Duration.ofSeconds(90));
            System.out.printf("CustomNetworkingE2E: pod served %d ms after the ENIConfig was created%n",
                    (System.nanoTime() - created) / 1_000_000);
            assertEquals(podSubnet, node.eniHolding(ip).orElseThrow().subnetId(), ip);
            assertTrue(node.running(), "served by the same daemon, never restarted");
        }
    }
}
