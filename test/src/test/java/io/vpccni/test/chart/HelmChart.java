package io.vpccni.test.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.vpccni.ipamd.k8s.MockApiServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * charts/aws-vpc-cni through Helm's own engine (helm-java embeds Helm's Go library; its native library loads once
 * per JVM, on first use), released as the default manifest is: release aws-vpc-cni in kube-system.
 */
public final class HelmChart {
    public static final String RELEASE = "aws-vpc-cni";
    public static final String NAMESPACE = "kube-system";
    public static final Path DIR = MockApiServer.repositoryFile("charts/aws-vpc-cni");

    private HelmChart() {
    }

    /** {@code helm template aws-vpc-cni charts/aws-vpc-cni -n kube-system -f <values>}: the YAML text. */
    public static String template(ChartValues values) {
        var command = new Helm(DIR).template().withName(RELEASE).withNamespace(NAMESPACE);
        if (values.isDefault()) {
            return command.call();
        }
        var dir = scratchDir();
        try {
            return command.withValuesFile(values.writeTo(dir)).call();
        } finally {
            deleteQuietly(dir);
        }
    }

    /** Rendered and parsed into Fabric8's model. */
    public static RenderedChart render(ChartValues values) {
        return RenderedChart.parse(template(values), values.toString());
    }

    /** {@code helm lint --strict charts/aws-vpc-cni}. */
    public static LintResult lint() {
        return new Helm(DIR).lint().strict().call();
    }

    private static Path scratchDir() {
        try {
            return Files.createTempDirectory("chart-values");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a temporary directory for the chart values", e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.list(dir)) {
            for (var file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a leftover temp file is harmless
        }
    }
}
