package io.vpccni.ipamd.doctor;

import io.vpccni.ipamd.checkpoint.Checkpoint;
import io.vpccni.ipamd.checkpoint.CheckpointEntry;
import io.vpccni.ipamd.checkpoint.FileCheckpointStore;
import io.vpccni.ipamd.guard.NetworkdHarness;
import io.vpccni.ipamd.net.RtNetlink;
import io.vpccni.ipamd.testing.Ip;
import io.vpccni.ipamd.testing.TestDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The doctor end to end on the real kernel of the test's private namespace: its real gatherers (rtnetlink, /proc/sys,
 * iptables-save of both backends, the guard's LinkOwnership, the files) and its real daemon clients (grpc-java STATUS
 * against the daemon's real gRPC server over a test pool, the introspection and IMDS from a canned local server).
 * A node wired by hand as the daemon wires it is all OK; a flushed pod rule, a real systemd-networkd owning an ENI the
 * guard did not refuse, and forwarding or reverse-path settings are each reported with their evidence and fix.
 */
@EnabledIfSystemProperty(named = "vpccni.netns", matches = "private", disabledReason = "needs root and test/bin/java-in-netns")
class DoctorIT {
    private static final String POD_IP = "10.9.1.50";
    private static final String VETH = "enidocweb1";
    private static final String CONTAINER = "c0ffee0000000000000000000000000000000000000000000000000000000001";
    private static final int NETWORKD_ENI = 4300;

    @TempDir
    Path root;
    private TestDaemon daemon;
    private CannedHttp http;
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void daemonAndFiles() throws IOException {
        daemon = new TestDaemon(root.resolve("ipamd.sock"), "10.9.1.51");
        http = new CannedHttp().answer("PUT /latest/api/token", "token").answer("GET /latest/meta-data/instance-type", "m5.large");
        var conflist = Files.createDirectories(root.resolve("cni"));
        Files.writeString(conflist.resolve("10-aws.conflist"), DoctorConflistTest.SHIPPED.replace("/var/run/aws-node/ipamd.sock",
                daemon.server.socket().toString()));
        Files.createDirectories(root.resolve("systemd-system/multi-user.target.wants"));
        var usr = Files.createDirectories(root.resolve("usr-network"));
        Files.writeString(usr.resolve("99-default.link"), "[Match]\nOriginalName=*\n\n[Link]\nNamePolicy=keep kernel\nMACAddressPolicy=persistent\n");
        env.putAll(Map.of("IPAMD_SOCKET_PATH", daemon.server.socket().toString(), "INTROSPECTION_BIND_ADDRESS", http.bindAddress(),
                "AWS_EC2_METADATA_SERVICE_ENDPOINT", http.base().toString(), "HOST_CNI_CONFDIR_PATH", conflist.toString(),
                "AWS_VPC_K8S_CNI_BACKING_STORE", root.resolve("ipam.json").toString(),
                "DOCTOR_SYSTEMD_SYSTEM_DIR", root.resolve("systemd-system").toString(),
                "GUARD_NETWORKD_LINKS_DIR", root.resolve("netif-links").toString(),
                "GUARD_NETWORK_DIRS", root.resolve("etc-network") + ":" + usr,
                "GUARD_NETWORKMANAGER_DEVICES_DIR", root.resolve("nm-devices").toString()));
    }

    @AfterEach
    void cleanUp() throws IOException {
        http.close();
        daemon.close();
        for (var link : List.of("ens5", "ens6", "ens7", VETH)) {
            Ip.quietly("link", "del", link);
        }
        Ip.quietly("netns", "del", "docpod1");
        Ip.quietly("rule", "del", "to", POD_IP, "priority", "512");
        Ip.quietly("rule", "del", "from", POD_IP, "priority", "1536");
        Ip.quietly("rule", "del", "from", "10.9.1.20", "priority", "32765");
        Ip.execQuietly(List.of("iptables-nft", "-t", "nat", "-F"));
        Ip.execQuietly(List.of("iptables-nft", "-t", "nat", "-X"));
        sysctl("net/ipv4/ip_forward", "0");
    }

    /**
     * As the daemon leaves a node: a primary ENI (ens5) with main's default route, a secondary (ens6) with table 2 and
     * rule 32765, one pod on it (its veth into a namespace, the host route, rules 512 and 1536), forwarding on, loose
     * rp_filter on ens5, kube-proxy's and aws-node's chains in iptables-nft, the checkpoint holding the pod.
     */
    private void healthyNode() throws IOException {
        Ip.run("link", "add", "ens5", "address", DoctorFixtures.PRIMARY_MAC, "type", "veth", "peer", "name", "ens5p");
        Ip.run("link", "add", "ens6", "address", DoctorFixtures.SECONDARY_MAC, "type", "veth", "peer", "name", "ens6p");
        for (var link : List.of("ens5", "ens5p", "ens6", "ens6p")) {
            Ip.run("link", "set", link, "up");
        }
        Ip.run("addr", "add", "10.9.0.5/24", "dev", "ens5");
        Ip.run("route", "add", "default", "via", "10.9.0.1", "dev", "ens5");
        Ip.run("addr", "add", "10.9.1.20/24", "dev", "ens6");
        Ip.run("route", "del", "10.9.1.0/24", "dev", "ens6");
        Ip.run("route", "add", "10.9.1.1", "dev", "ens6", "scope", "link", "table", "2");
        Ip.run("route", "add", "default", "via", "10.9.1.1", "dev", "ens6", "table", "2");
        Ip.run("rule", "add", "from", "10.9.1.20", "lookup", "2", "priority", "32765");
        Ip.run("netns", "add", "docpod1");
        Ip.run("link", "add", VETH, "type", "veth", "peer", "name", "eth0", "netns", "docpod1");
        Ip.run("link", "set", VETH, "up");
        Ip.in("docpod1", "addr", "add", POD_IP + "/32", "dev", "eth0");
        Ip.in("docpod1", "link", "set", "eth0", "up");
        Ip.run("route", "add", POD_IP + "/32", "dev", VETH, "scope", "link");
        Ip.run("rule", "add", "to", POD_IP, "lookup", "main", "priority", "512");
        Ip.run("rule", "add", "from", POD_IP, "lookup", "2", "priority", "1536");
        sysctl("net/ipv4/ip_forward", "1");
        sysctl("net/ipv4/conf/all/rp_filter", "0");
        sysctl("net/ipv4/conf/ens5/rp_filter", "2");
        iptablesNft("""
                *nat
                :KUBE-SERVICES - [0:0]
                :AWS-SNAT-CHAIN-0 - [0:0]
                -A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
                -A POSTROUTING -m comment --comment "AWS SNAT CHAIN" -j AWS-SNAT-CHAIN-0
                -A AWS-SNAT-CHAIN-0 -d 10.9.0.0/16 -m comment --comment "AWS SNAT CHAIN" -j RETURN
                COMMIT
                """);
        new FileCheckpointStore(root.resolve("ipam.json")).save(new Checkpoint(List.of(
                CheckpointEntry.ipv4("aws-cni", CONTAINER, "eth0", POD_IP, 1, "default", "web-1", 1))));
        int ens5;
        int ens6;
        try (var host = RtNetlink.open()) {
            ens5 = host.link("ens5").orElseThrow().index();
            ens6 = host.link("ens6").orElseThrow().index();
        }
        http.answer("GET /v1/pods", """
                {"pool":{"open":true,"reason":"","availableAddresses":1,"assignedAddresses":1,"maxPods":29},
                 "pods":[{"namespace":"default","name":"web-1","containerId":"%s","ifName":"eth0","networkName":"aws-cni",
                          "ip":"%s","eniId":"eni-0sec","deviceNumber":1,"routeTable":2,"hostVeth":"%s","assignedAt":"2026-01-01T00:00:00Z",
                          "wiring":{"checked":"host+pod","healthy":true,"drifts":[]}}]}
                """.formatted(CONTAINER, POD_IP, VETH));
        http.answer("GET /v1/guard", guard(eni("eni-0prim", DoctorFixtures.PRIMARY_MAC, "ens5", ens5, true, 0, 254, "10.9.0.5"),
                eni("eni-0sec", DoctorFixtures.SECONDARY_MAC, "ens6", ens6, false, 1, 2, "10.9.1.20")));
    }

    @Test
    void aHealthyNodeIsAllOkAndExitsZero() throws IOException {
        healthyNode();
        var run = doctor();
        System.out.println("--- doctor on a healthy node ---\n" + run.text);
        assertEquals(0, run.code, run.text);
        assertTrue(run.text.lines().noneMatch(l -> l.startsWith("PROBLEM") || l.startsWith("WARNING")), run.text);
        for (var check : List.of("daemon-status", "introspection", "pool-capacity", "eni-owner", "pod-rules", "pod-route", "pod-veth",
                "eni-routing", "heals", "ip-forward", "rp-filter", "iptables-backend", "forward-policy", "veth-mac-policy", "checkpoint", "imds", "conflist")) {
            assertTrue(run.text.contains("OK      " + check + ":"), check + " missing from:\n" + run.text);
        }
        assertTrue(run.text.contains("kube-proxy and aws-node both use iptables-nft"), run.text);
        var max = Path.of("/proc/sys/net/netfilter/nf_conntrack_max");
        if (Files.exists(max)) {  // read whole: a sysctl read in small steps stops after the first
            assertTrue(run.text.contains("net.netfilter.nf_conntrack_max = " + Ip.exec(List.of("cat", max.toString())).strip()), run.text);
        }
    }

    @Test
    void aFlushedPodRuleIsAProblemNamingThePodTheRuleAndTheFix() throws IOException {
        healthyNode();
        Ip.run("rule", "del", "from", POD_IP, "lookup", "2", "priority", "1536");  // what a networkd restart does
        var run = doctor();
        System.out.println("--- doctor after rule 1536 was flushed ---\n" + run.text);
        assertEquals(1, run.code, run.text);
        assertTrue(run.text.startsWith("""
                PROBLEM pod-rules: pod default/web-1
                  rule 1536: from 10.9.1.50 lookup 2 missing: the pod's traffic leaves by the primary ENI instead of eni-0sec and its replies are dropped
                  evidence:
                    kernel: no rule "1536: from 10.9.1.50 lookup 2"
                    kernel: rules naming 10.9.1.50: 512: from all to 10.9.1.50 lookup main
                """), run.text);
        assertTrue(run.text.contains("ip rule add from 10.9.1.50/32 lookup 2 priority 1536"), run.text);
        assertTrue(run.text.endsWith("1 problem, 0 warnings, " + count(run.text, "OK ") + " ok\n"), run.text);
    }

    @Test
    void forwardingOffAndStrictReversePathFilteringAreProblems() throws IOException {
        healthyNode();
        sysctl("net/ipv4/ip_forward", "0");
        sysctl("net/ipv4/conf/ens5/rp_filter", "1");
        var run = doctor();
        assertEquals(1, run.code, run.text);
        assertTrue(run.text.contains("PROBLEM ip-forward: node\n  net.ipv4.ip_forward is 0"), run.text);
        assertTrue(run.text.contains("PROBLEM rp-filter: ens5\n  strict reverse-path filtering on ens5 drops the replies to pods on"
                + " secondary ENIs (1 pod is there now)"), run.text);
        assertTrue(run.text.contains("net.ipv4.conf.ens5.rp_filter = 1"), run.text);
        assertTrue(run.text.contains("fix: sysctl -w net.ipv4.conf.ens5.rp_filter=2"), run.text);
        assertTrue(run.text.endsWith("2 problems, 0 warnings, " + count(run.text, "OK ") + " ok\n"), run.text);
    }

    /** The real systemd-networkd configures an "ENI" the daemon's guard says it did not refuse. */
    @Test
    void anEniARealNetworkdOwnsButTheGuardDidNotRefuseIsAProblemNamingItsStateAndFile() throws Exception {
        Assumptions.assumeTrue(NetworkdHarness.installed(), "no /lib/systemd/systemd-networkd");
        var w = Files.createDirectories(root.resolve("networkd"));
        var mac = "02:00:00:00:00:07";
        try (var networkd = new NetworkdHarness(w)) {
            networkd.vethPair("ens7", NETWORKD_ENI, mac, true);
            // What nodeadm writes when it decides systemd owns the interface.
            networkd.networkFile("70-eks-ens7.network", "[Match]\nMACAddress=" + mac + "\n\n[Network]\nAddress=10.9.7.5/24\nLinkLocalAddressing=no\n");
            networkd.startAndAwait(NETWORKD_ENI, "configured");
            env.put("GUARD_NETWORKD_LINKS_DIR", w.resolve("run/systemd/netif/links").toString());
            env.put("GUARD_NETWORK_DIRS", w.resolve("network").toString());
            http.answer("GET /v1/pods", "{\"pool\":{\"open\":true,\"reason\":\"\",\"availableAddresses\":1,\"assignedAddresses\":0,\"maxPods\":29},\"pods\":[]}");
            http.answer("GET /v1/guard", guard(eni("eni-0net", mac, "ens7", NETWORKD_ENI, false, 2, 3, "10.9.7.20")));
            var run = doctor();
            System.out.println("--- doctor with systemd-networkd owning ens7 ---\n" + run.text);
            assertEquals(1, run.code, run.text);
            var block = block(run.text, "PROBLEM eni-owner: eni-0net (ens7)");
            assertTrue(block.contains("systemd-networkd (ADMIN_STATE=configured, /etc/systemd/network/70-eks-ens7.network) manages this ENI,"
                    + " yet the daemon offers it to pods"), block);
            assertTrue(block.contains(w.resolve("run/systemd/netif/links/" + NETWORKD_ENI) + ": ADMIN_STATE=configured"), block);
            assertTrue(block.contains(": NETWORK_FILE=/etc/systemd/network/70-eks-ens7.network"), block);
            assertTrue(block.contains("daemon /v1/guard: owner none, not refused"), block);
            assertTrue(block.contains("printf '[Match]\\nMACAddress=" + mac + "\\n\\n[Link]\\nUnmanaged=yes\\n' > /etc/systemd/network/01-aws-vpc-cni-eni-0net.network"), block);
            assertTrue(block.contains("GUARD_WRITE_UNMANAGED_NETWORK_FILES=true"), block);
        }
    }

    private record Run(int code, String text) {
    }

    private Run doctor() {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var code = DoctorCommand.run(new String[0], env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), HostAccess.real());
        assertEquals("", err.toString(StandardCharsets.UTF_8), "nothing on stderr");
        return new Run(code, out.toString(StandardCharsets.UTF_8));
    }

    private static String eni(String id, String mac, String link, int index, boolean primary, int device, int table, String ip) {
        return """
                {"eniId":"%s","mac":"%s","link":"%s","linkIndex":%d,"primary":%b,"deviceNumber":%d,"routeTable":%d,"primaryIp":"%s",
                 "owner":"none","ownerDetail":"","refused":false}""".formatted(id, mac, link, index, primary, device, table, ip);
    }

    private static String guard(String... enis) {
        return "{\"enis\":[" + String.join(",", enis) + "],\"heals\":{\"restored\":{\"rules\":0,\"routes\":0,\"addresses\":0},\"recent\":[]}}";
    }

    private static void sysctl(String key, String value) throws IOException {
        var file = Path.of("/proc/sys").resolve(key);  // this namespace's: net/ is per network namespace
        if (Files.exists(file)) {
            Files.writeString(file, value);
        }
    }

    private static void iptablesNft(String restore) throws IOException {
        var p = new ProcessBuilder("iptables-nft-restore", "--noflush").redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(restore.getBytes(StandardCharsets.UTF_8));
        }
        try {
            var output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), "iptables-nft-restore: " + output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static long count(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).count();
    }

    /** One finding's block of the text report, from its header to the blank line after it. */
    private static String block(String text, String header) {
        var start = text.indexOf(header + "\n");
        assertTrue(start >= 0, header + " missing from:\n" + text);
        var end = text.indexOf("\n\n", start);
        return text.substring(start, end < 0 ? text.length() : end);
    }
}
