package io.vpccni.test.chart;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** config/aws-k8s-cni.yaml is exactly the chart's default rendering, so the two cannot drift apart. */
class ChartManifestTest {
    @Test
    void theDefaultManifestIsTheChartRenderedWithItsDefaults() throws IOException {
        if (Boolean.getBoolean("vpccni.regenerate")) {
            DefaultManifest.write();
        }
        var expected = DefaultManifest.render();
        assertTrue(Files.exists(DefaultManifest.FILE), DefaultManifest.FILE + " is missing; create it with: " + DefaultManifest.REGENERATE);
        assertEquals(expected, Files.readString(DefaultManifest.FILE), DefaultManifest.FILE
                + " differs from the chart rendered with its defaults; regenerate it with: " + DefaultManifest.REGENERATE);
    }

    @Test
    void theManifestHoldsTheCrdAndTheObjectsKubectlApplies() throws IOException {
        var objects = RenderedChart.parse(Files.readString(DefaultManifest.FILE), "config/aws-k8s-cni.yaml");
        assertEquals("CustomResourceDefinition/eniconfigs.crd.k8s.amazonaws.com, ServiceAccount/aws-node, "
                + "ConfigMap/amazon-vpc-cni, ClusterRole/aws-node, ClusterRoleBinding/aws-node, "
                + "Role/aws-node-leaked-eni-sweeper, RoleBinding/aws-node-leaked-eni-sweeper, DaemonSet/aws-node", objects.summary());
    }
}
