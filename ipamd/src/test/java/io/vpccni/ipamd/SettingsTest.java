package io.vpccni.ipamd;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every setting is read and checked before the daemon serves, not later in a retry loop. */
class SettingsTest {
    @Test
    void anEmptyEnvironmentIsUpstreamsDefaults() {
        var s = Settings.read(Map.of(), "1.0.0");
        assertEquals(9001, s.eniMtu());
        assertEquals(Path.of("/var/run/aws-node/ipam.json"), s.checkpoint());
        assertEquals("http://169.254.169.254", s.imdsEndpoint().toString());
        assertEquals("eni", s.daemon().vethPrefix());
        assertFalse(s.imdsOnly() || s.leakedEniCleanupOff() || s.tcpEarlyDemuxOff() || s.unmanagedFiles().isPresent());
    }

    @Test
    void booleansAreReadAsUpstreamReadsThem() {
        var s = Settings.read(Map.of("ENABLE_IMDS_ONLY_MODE", "1", "DISABLE_LEAKED_ENI_CLEANUP", "T"), "1.0.0");
        assertTrue(s.imdsOnly() && s.leakedEniCleanupOff());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "AWS_VPC_ENI_MTU | 1e3",
            "ADDITIONAL_ENI_TAGS | team=net",
            "AWS_EC2_METADATA_SERVICE_ENDPOINT | ::not a url",
            "AWS_VPC_K8S_CNI_BACKING_STORE | ipam.json",
            "ENABLE_IMDS_ONLY_MODE | yes",
            "DISABLE_LEAKED_ENI_CLEANUP | on",
            "ENABLE_IPv6 | true",
            "WARM_IP_TARGET | -1",
            "AWS_VPC_K8S_CNI_EXTERNALSNAT | maybe",
            "MANAGE_UNTAGGED_ENI | no",
            "ENABLE_SUBNET_DISCOVERY | 2",
            "AWS_MANAGE_ENIS_NON_SCHEDULABLE | y",
            "CLUSTER_ENDPOINT | ftp://api",
    })
    void aBadValueStopsTheDaemonAtStartNamingTheVariable(String name, String value) {
        var e = assertThrows(IllegalArgumentException.class, () -> Settings.read(Map.of(name, value), "1.0.0"));
        assertTrue(e.getMessage().contains(name), e.getMessage());
    }

    @Test
    void featuresThatNeedTheApiServerAreRefusedWithoutOne() {
        var e = assertThrows(IllegalArgumentException.class, () -> Settings.read(Map.of(
                "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG", "true", "ANNOTATE_POD_IP", "1"), "1.0.0"));
        assertEquals("AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG and ANNOTATE_POD_IP need the API server, but none is configured: "
                + "run in the cluster (the aws-node service account), or set KUBECONFIG or CLUSTER_ENDPOINT", e.getMessage());
    }

    @Test
    void anApiServerNeedsTheNodesName() {
        var e = assertThrows(IllegalArgumentException.class, () -> Settings.read(Map.of("KUBECONFIG", "/etc/kubeconfig"), "1.0.0"));
        assertTrue(e.getMessage().startsWith("MY_NODE_NAME is not set"), e.getMessage());
    }

    @Test
    void clusterFeaturesAreReadWithUpstreamsDefaults() {
        var none = Settings.read(Map.of(), "1.0.0").cluster();
        assertTrue(none.subnetDiscovery());
        assertFalse(none.customNetworking() || none.annotatePodIp() || none.manageWhenUnschedulable());
        var s = Settings.read(Map.of("KUBECONFIG", "/etc/kubeconfig", "MY_NODE_NAME", "ip-10-0-0-1",
                "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG", "true", "ENI_CONFIG_LABEL_DEF", "topology.kubernetes.io/zone"), "1.0.0");
        assertTrue(s.cluster().customNetworking());
        assertEquals("topology.kubernetes.io/zone", s.cluster().eniConfigName().labelKey());
        assertEquals("k8s.amazonaws.com/eniConfig", s.cluster().eniConfigName().annotationKey());
        assertEquals("kube-system", s.kube().podNamespace());
    }
}
