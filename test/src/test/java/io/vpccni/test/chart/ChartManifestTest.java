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
        var actual = Files.readString(DefaultManifest.FILE);
        assertTrue(expected.equals(actual), () -> DefaultManifest.FILE + " differs from the chart rendered with its defaults "
                + firstDifference(expected, actual) + "; regenerate it with: " + DefaultManifest.REGENERATE);
    }

    @Test
    void theManifestHoldsTheCrdAndTheObjectsKubectlApplies() throws IOException {
        var objects = RenderedChart.parse(Files.readString(DefaultManifest.FILE), "config/aws-k8s-cni.yaml");
        assertEquals("CustomResourceDefinition/eniconfigs.crd.k8s.amazonaws.com, ServiceAccount/aws-node, "
                + "ConfigMap/amazon-vpc-cni, ClusterRole/aws-node, ClusterRoleBinding/aws-node, "
                + "Role/aws-node-leaked-eni-sweeper, RoleBinding/aws-node-leaked-eni-sweeper, DaemonSet/aws-node", objects.summary());
    }

    /** The first line that differs, rather than two 17 kB texts side by side. */
    private static String firstDifference(String expected, String actual) {
        var want = expected.split("\n", -1);
        var have = actual.split("\n", -1);
        for (var i = 0; i < Math.max(want.length, have.length); i++) {
            var w = i < want.length ? want[i] : "(end of file)";
            var h = i < have.length ? have[i] : "(end of file)";
            if (!w.equals(h)) {
                return "from line " + (i + 1) + ": the chart gives '" + w.strip() + "', the file has '" + h.strip() + "'";
            }
        }
        return "(only in line endings)";
    }
}
