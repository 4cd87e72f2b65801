package io.vpccni.test;

import io.vpccni.ipamd.install.CniConfig;
import io.vpccni.ipamd.install.Conflist;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpccni.test.node.NodeUnderTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code aws-k8s-agent doctor}, the shipped launcher run as an operator runs it in the aws-node container (the daemon's
 * environment), against the real daemon on a simulated node: a healthy node has no problem; then a .network file
 * claims an ENI (as nodeadm's do), the guard refuses it, and the doctor names the ENI, the file and the fix.
 */
@EnabledIfSystemProperty(named = "vpccni.netns", matches = "private", disabledReason = "needs root and test/bin/java-in-netns")
class DoctorE2E {
    private static final Path AGENT = Path.of(System.getProperty("vpccni.dist.agent", "../ipamd/target/dist/aws-k8s-agent"));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aHealthyNodeThenAnEniNetworkdClaims() throws Exception {
        try (var node = new NodeUnderTest("doc", "m5.large", dir)) {
            var env = nodeEnv(node);
            node.start(env);
            for (var i = 0; i < 12; i++) {
                node.addUntilServed("pod-" + i, DEADLINE);
            }
            var daemonEnv = new HashMap<>(node.env());
            daemonEnv.putAll(env);

            var healthy = doctor(daemonEnv, "--json");
            var report = JSON.readTree(healthy.stdout());
            assertEquals(List.of(), problems(report), healthy.stdout());
            assertEquals(0, healthy.exit(), healthy.stdout());
            assertTrue(report.get("findings").valueStream().anyMatch(f -> f.get("check").asText().equals("pod-rules")
                    && f.get("severity").asText().equals("OK")), healthy.stdout());

            // nodeadm-style: a .network file matching a secondary ENI's MAC, which networkd would apply at its next reload.
            var spare = node.attachedEnis().stream().filter(e -> e.attachment().orElseThrow().deviceIndex() == 2).findFirst().orElseThrow();
            Files.writeString(dir.resolve("network").resolve("70-eks-spare.network"),
                    "[Match]\nMACAddress=" + spare.macAddress() + "\n\n[Network]\nDHCP=yes\n");
            node.awaitLog(DEADLINE, spare.id() + " (ens7) is managed by");  // the guard's refusal (the ENI's link is ens<5+device>)

            var broken = doctor(daemonEnv);
            System.out.println("aws-k8s-agent doctor, an ENI claimed by a .network file:\n" + broken.stdout());
            assertEquals(1, broken.exit(), broken.stdout());
            assertTrue(broken.stdout().contains("PROBLEM eni-owner: " + spare.id()), broken.stdout());
            assertTrue(broken.stdout().contains("70-eks-spare.network"), broken.stdout());
            assertTrue(broken.stdout().contains("Unmanaged=yes"), "the fix: " + broken.stdout());
        }
    }

    /**
     * What a node gives the daemon and the doctor: the guard's directories (empty, the test's own), a CNI config
     * directory with our conflist, and forwarding on, as kubelet's node has it.
     */
    private Map<String, String> nodeEnv(NodeUnderTest node) throws Exception {
        Files.createDirectories(dir.resolve("network"));
        Files.createDirectories(dir.resolve("netif-links"));
        Files.createDirectories(dir.resolve("systemd-system"));
        var conflist = Files.createDirectories(dir.resolve("net.d"));
        Files.writeString(conflist.resolve("10-aws.conflist"), Conflist.render(CniConfig.fromEnv(Map.of("IPAMD_SOCKET_PATH",
                node.env().get("IPAMD_SOCKET_PATH")))));
        Files.writeString(Path.of("/proc/sys/net/ipv4/ip_forward"), "1");  // this test's network namespace only
        return Map.of("GUARD_NETWORK_DIRS", dir.resolve("network").toString(),
                "GUARD_NETWORKD_LINKS_DIR", dir.resolve("netif-links").toString(),
                "GUARD_NETWORKMANAGER_DEVICES_DIR", dir.resolve("nm-devices").toString(),
                "DOCTOR_SYSTEMD_SYSTEM_DIR", dir.resolve("systemd-system").toString(),
                "HOST_CNI_CONFDIR_PATH", conflist.toString());
    }

    private static List<String> problems(JsonNode report) {
        return report.get("findings").valueStream().filter(f -> f.get("severity").asText().equals("PROBLEM"))
                .map(JsonNode::toString).toList();
    }

    private record Run(int exit, String stdout) {
    }

    private Run doctor(Map<String, String> env, String... args) throws Exception {
        var command = new java.util.ArrayList<>(List.of(AGENT.toAbsolutePath().toString(), "doctor"));
        command.addAll(List.of(args));
        var pb = new ProcessBuilder(command).redirectError(dir.resolve("doctor-stderr.log").toFile());
        pb.environment().keySet().removeIf(name -> name.startsWith("KUBERNETES_") || name.equals("KUBECONFIG"));
        pb.environment().putAll(env);
        var process = pb.start();
        var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the doctor finishes");
        return new Run(process.exitValue(), out);
    }
}
