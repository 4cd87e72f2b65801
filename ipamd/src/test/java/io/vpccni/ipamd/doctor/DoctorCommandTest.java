package io.vpccni.ipamd.doctor;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vpccni.ipamd.host.Iptables;
import io.vpccni.ipamd.host.IptablesException;
import io.vpccni.ipamd.host.IptablesMode;
import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.net.Rule;
import io.vpccni.ipamd.testing.TestDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole command without root: the real daemon clients against the real gRPC server and a canned introspection
 * server, files from a crafted tree, the kernel and iptables listed from crafted state. Exit codes and both outputs.
 */
class DoctorCommandTest {
    private static final PodsView.Pod WEB = DoctorFixtures.pod("web-1", "10.9.1.50", 2, "eni1a2b3c4d5e6");

    @TempDir
    Path root;
    private TestDaemon daemon;
    private CannedHttp http;
    private final Map<String, String> env = new HashMap<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void node() throws IOException {
        daemon = new TestDaemon(root.resolve("ipamd.sock"), "10.9.1.51");
        http = new CannedHttp()
                .answer("GET /v1/pods", DoctorIntrospectionTest.PODS.replace("\"healthy\":false", "\"healthy\":true")
                        .replace("\"c1\"", "\"" + WEB.containerId() + "\""))
                .answer("GET /v1/guard", DoctorIntrospectionTest.GUARD.replace("\"refused\":true", "\"refused\":false")
                        .replace("\"owner\":\"systemd-networkd\"", "\"owner\":\"none\"")
                        .replace("{\"rules\":12,\"routes\":3,\"addresses\":1}", "{\"rules\":0,\"routes\":0,\"addresses\":0}"))
                .answer("PUT /latest/api/token", "tok").answer("GET /latest/meta-data/instance-type", "m5.large");
        write("proc/net/ipv4/ip_forward", "1");
        write("proc/net/ipv4/conf/all/rp_filter", "0");
        write("proc/net/ipv4/conf/ens5/rp_filter", "2");
        write("cni/10-aws.conflist", DoctorConflistTest.SHIPPED.replace("/var/run/aws-node/ipamd.sock", daemon.server.socket().toString()));
        Files.createDirectories(root.resolve("systemd-system"));
        Files.writeString(root.resolve("ipam.json"), "{\"version\":\"vpc-cni-ipam/1\",\"allocations\":[{\"networkName\":\"aws-cni\",\"containerID\":\""
                + WEB.containerId() + "\",\"ifName\":\"eth0\",\"ipv4\":\"10.9.1.50\",\"allocationTimestamp\":1}]}");
        env.putAll(Map.of("IPAMD_SOCKET_PATH", daemon.server.socket().toString(), "INTROSPECTION_BIND_ADDRESS", http.bindAddress(),
                "AWS_EC2_METADATA_SERVICE_ENDPOINT", http.base().toString(), "HOST_CNI_CONFDIR_PATH", root.resolve("cni").toString(),
                "AWS_VPC_K8S_CNI_BACKING_STORE", root.resolve("ipam.json").toString(), "DOCTOR_PROC_SYS", root.resolve("proc").toString(),
                "DOCTOR_SYSTEMD_SYSTEM_DIR", root.resolve("systemd-system").toString(), "GUARD_NETWORKD_LINKS_DIR", root.resolve("links").toString(),
                "GUARD_NETWORK_DIRS", root.resolve("network").toString(), "GUARD_NETWORKMANAGER_DEVICES_DIR", root.resolve("nm").toString()));
    }

    @AfterEach
    void stop() throws IOException {
        http.close();
        daemon.close();
    }

    private void write(String path, String content) throws IOException {
        Files.createDirectories(root.resolve(path).getParent());
        Files.writeString(root.resolve(path), content);
    }

    private int run(DoctorFixtures.Kernel kernel, String... args) {
        var facts = kernel.facts();
        Iptables nft = new SavedIptables(IptablesMode.NFT, """
                *nat
                :KUBE-SERVICES - [0:0]
                :AWS-SNAT-CHAIN-0 - [0:0]
                -A POSTROUTING -m comment --comment "AWS SNAT CHAIN" -j AWS-SNAT-CHAIN-0
                COMMIT
                """);
        Iptables legacy = new SavedIptables(IptablesMode.LEGACY, "");
        return DoctorCommand.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new HostAccess(() -> new ListedKernel(facts), mode -> mode == IptablesMode.NFT ? nft : legacy));
    }

    @Test
    void aHealthyNodeIsAllOkAndExitsZero() {
        var code = run(DoctorFixtures.kernel().wired(WEB));
        var text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        assertTrue(text.endsWith("0 problems, 0 warnings, " + text.lines().filter(l -> l.startsWith("OK ")).count() + " ok\n"), text);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aFlushedPodRuleIsAProblemNamingThePodAndExitsOne() throws Exception {
        var kernel = DoctorFixtures.kernel().wired(WEB);
        kernel.rules.remove(Rule.from(1536, IpPrefix.of("10.9.1.50/32"), 2));
        var code = run(kernel, "--json");
        assertEquals(1, code);
        var tree = new JsonMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertEquals(1, tree.path("summary").path("problems").asInt(), tree.toPrettyString());
        var first = tree.path("findings").get(0);
        assertEquals("pod-rules", first.path("check").asText());
        assertEquals("pod default/web-1", first.path("object").asText());
        assertTrue(first.path("fix").asText().contains("ip rule add from 10.9.1.50/32 lookup 2 priority 1536"), first.toString());
    }

    @Test
    void aDaemonThatIsDownIsAProblemNotAStackTrace() {
        env.put("IPAMD_SOCKET_PATH", root.resolve("gone.sock").toString());
        http.answer("GET /v1/pods", 503, "").answer("GET /v1/guard", "not json");
        var code = run(DoctorFixtures.kernel());
        var text = out.toString(StandardCharsets.UTF_8);
        assertEquals(1, code);
        assertTrue(text.startsWith("PROBLEM daemon-status: aws-k8s-agent\n"), text);
        assertTrue(text.contains("there is no socket at"), text);
        assertTrue(text.contains("answered HTTP 503"), text);
        assertTrue(!text.contains("Exception"), text);
    }

    @Test
    void badUsageExitsTwoWithTheUsageOnStderrAndHelpExitsZero() {
        assertEquals(2, DoctorCommand.run(new String[]{"--yaml"}, env, new PrintStream(out), new PrintStream(err), HostAccess.real()));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("aws-k8s-agent doctor: unknown argument '--yaml'\nusage:"));
        assertEquals(0, DoctorCommand.run(new String[]{"--help"}, env, new PrintStream(out), new PrintStream(err), HostAccess.real()));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: aws-k8s-agent doctor [--json]"));
    }

    /** One backend's saved rules; nothing may be restored. */
    private record SavedIptables(IptablesMode mode, String save) implements Iptables {
        @Override public String save(String table) { return save; }
        @Override public String saveAll() { return save; }
        @Override public void restore(String input) throws IptablesException { throw new AssertionError("the doctor must never write iptables"); }
    }
}
