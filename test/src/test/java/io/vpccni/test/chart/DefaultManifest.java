package io.vpccni.test.chart;

import io.vpccni.ipamd.k8s.MockApiServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * config/aws-k8s-cni.yaml, as upstream ships its aws-k8s-cni.yaml: the chart rendered with its defaults (release
 * aws-vpc-cni in kube-system) for {@code kubectl apply -f}, with the ENIConfig CRD in front (what
 * {@code helm template --include-crds} prints; helm-java's template has no such switch, so it is added here).
 */
public final class DefaultManifest {
    public static final Path FILE = MockApiServer.repositoryFile("config").resolve("aws-k8s-cni.yaml");
    static final Path CRD = HelmChart.DIR.resolve("crds/eniconfigs.yaml");
    static final String REGENERATE = "./mvnw -o -B -pl test -am test -Dtest=ChartManifestTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dvpccni.regenerate=true";

    private DefaultManifest() {
    }

    /** What the file must hold. */
    public static String render() {
        try {
            return "# Generated from charts/aws-vpc-cni with its default values (release aws-vpc-cni, namespace kube-system).\n"
                    + "# Do not edit: change the chart, then regenerate with\n#   " + REGENERATE + "\n"
                    + "---\n# Source: aws-vpc-cni/crds/eniconfigs.yaml\n" + Files.readString(CRD).stripTrailing() + "\n"
                    + HelmChart.template(ChartValues.defaults());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the chart's CRD " + CRD, e);
        }
    }

    public static void write() {
        try {
            Files.writeString(FILE, render());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + FILE, e);
        }
    }

    /** Regenerates the file; the test's {@code -Dvpccni.regenerate=true} does the same from Maven. */
    public static void main(String[] args) {
        write();
        System.out.println("wrote " + FILE);
    }
}
