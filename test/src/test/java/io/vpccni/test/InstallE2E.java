package io.vpccni.test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vpccni.ipamd.testing.Ip;
import io.vpccni.test.node.NodeUnderTest;
import io.vpccni.test.node.VethEnis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node as the DaemonSet leaves it: {@code aws-k8s-agent install} (the init container) lays the plugins into the
 * CNI bin dir and sets the sysctls, the daemon writes the conflist once its pool is open, and a pod is wired through
 * the installed plugin reading that conflist, as a runtime hands it over (the first plugin's object with the list's
 * name and cniVersion).
 */
class InstallE2E {
    private static final Path AGENT = Path.of(System.getProperty("vpccni.dist.agent", "../ipamd/target/dist/aws-k8s-agent"));
    private static final Path PLUGIN_DIST = Path.of(System.getProperty("vpccni.dist.plugin", "../cni-plugin/target/dist/aws-cni")).getParent();

    @TempDir
    Path dir;

    @Test
    void theInitContainerAndTheDaemonLeaveANodeARuntimeCanWirePodsOn() throws Exception {
        try (var node = new NodeUnderTest("inst", "m5.large", dir)) {
            var primary = VethEnis.linkName(0);
            var rpFilter = Path.of("/proc/sys/net/ipv4/conf/" + primary + "/rp_filter");
            Files.writeString(rpFilter, "1");  // strict, as a distribution may leave it: install must loosen it
            var bin = dir.resolve("opt/cni/bin");

            var install = install(Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", node.env().get("AWS_EC2_METADATA_SERVICE_ENDPOINT"),
                    "HOST_CNI_BIN_PATH", bin.toString(), "AWS_CNI_SOURCE_DIR", PLUGIN_DIST.toAbsolutePath().toString(),
                    "CNI_PLUGINS_SOURCE_DIR", "/usr/lib/cni"));
            assertEquals(0, install.exit(), install.stderr());
            assertEquals("2", Files.readString(rpFilter).strip(), "loose reverse-path filtering on the primary ENI");
            for (var plugin : new String[] {"aws-cni", "loopback", "portmap", "bandwidth"}) {
                assertTrue(Files.isExecutable(bin.resolve(plugin)), plugin + " installed: " + install.stderr());
            }

            var netd = dir.resolve("etc/cni/net.d");
            node.start(Map.of("HOST_CNI_CONFDIR_PATH", netd.toString(), "AWS_VPC_K8S_PLUGIN_LOG_FILE", dir.resolve("plugin.log").toString()));
            var conflist = netd.resolve("10-aws.conflist");
            node.await(Duration.ofSeconds(60), "the conflist", () -> Files.exists(conflist), () -> "no " + conflist);

            var list = new ObjectMapper().readTree(Files.readString(conflist));
            var stdin = (ObjectNode) list.get("plugins").get(0).deepCopy();
            stdin.put("name", list.get("name").asText());
            stdin.put("cniVersion", list.get("cniVersion").asText());
            Ip.run("netns", "add", "inst-pod");
            try {
                var env = new HashMap<>(Map.of("CNI_CONTAINERID", "inst-1", "CNI_NETNS", "/run/netns/inst-pod", "CNI_IFNAME", "eth0",
                        "CNI_PATH", bin.toString(), "CNI_ARGS", "K8S_POD_NAMESPACE=e2e;K8S_POD_NAME=installed"));
                env.put("CNI_COMMAND", "ADD");
                var add = Executables.plugin(bin.resolve("aws-cni"), env, stdin.toString());
                assertEquals(0, add.exit(), add.stdout() + add.stderr());
                assertTrue(add.stdout().contains("\"cniVersion\":\"1.0.0\"") && add.stdout().contains("\"address\":\"10.0.1."), add.stdout());
                env.put("CNI_COMMAND", "DEL");
                var del = Executables.plugin(bin.resolve("aws-cni"), env, stdin.toString());
                assertEquals(0, del.exit(), del.stdout() + del.stderr());
            } finally {
                Ip.quietly("netns", "del", "inst-pod");
            }
        }
    }

    private static Executables.Result install(Map<String, String> env) throws Exception {
        var pb = new ProcessBuilder(AGENT.toAbsolutePath().toString(), "install");
        pb.environment().putAll(env);
        var p = pb.start();
        p.getOutputStream().close();
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        var err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "install finishes");
        return new Executables.Result(p.exitValue(), out, err);
    }
}
