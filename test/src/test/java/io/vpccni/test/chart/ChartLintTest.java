package io.vpccni.test.chart;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;

/** {@code helm lint --strict}: what Helm itself finds wrong with the chart (templates, values, Chart.yaml). */
class ChartLintTest {
    @Test
    void lintsCleanInStrictMode() {
        var result = HelmChart.lint();
        assertFalse(result.isFailed(), () -> "helm lint --strict charts/aws-vpc-cni: " + String.join("\n", result.getMessages()));
    }
}
