package io.vpccni.test.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vpccni.ipamd.host.IptablesPlan;
import io.vpccni.ipamd.testing.Ip;
import io.vpccni.test.Executables;
import io.vpccni.test.node.NodeUnderTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static io.vpccni.test.image.Podman.podman;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The aws-node image, built from the Dockerfile (test/bin/image) and run with podman as the DaemonSet runs it on
 * a simulated node: the node is the test's private network namespace (the container joins it, as hostNetwork), the
 * host's directories are bind-mounted where the DaemonSet mounts them, the init container installs the plugins,
 * the daemon serves against the simulated cloud with only the capabilities the chart grants, a pod gets its address
 * through the plugin as installed on the host, and SIGTERM stops the daemon in order.
 */
@EnabledIfSystemProperty(named = "vpccni.netns", matches = "private", disabledReason = "needs root and test/bin/java-in-netns")
class ImageE2E {
    /**
     * All the daemon's container gets (after --cap-drop=all); {@link #eachCapabilityIsNeeded} removes each in turn:
     * without NET_ADMIN the pod's veth cannot be made (RTM_NEWLINK: EPERM); without SYS_ADMIN the daemon cannot
     * enter the pod's network namespace (setns: EPERM; the daemon, not the plugin, wires the pod); without
     * NET_RAW iptables-legacy cannot even read its tables, so on a node whose kube-proxy uses the legacy backend
     * the daemon sees no rules there and picks nft (this test's node is such a node), warning that it needs NET_RAW.
     */
    static final List<String> CAPABILITIES = List.of("NET_ADMIN", "NET_RAW", "SYS_ADMIN");

    private static String image;
    private static boolean mountedCgroups;

    @TempDir
    Path dir;

    @BeforeAll
    static void buildImage() throws Exception {
        var start = System.nanoTime();
        image = Podman.buildImage();
        System.out.printf("ImageE2E: image %s built in %d s, %d MB%n", image, (System.nanoTime() - start) / 1_000_000_000,
                Long.parseLong(podman("image", "inspect", "--format", "{{.Size}}", image).output().strip()) / 1_000_000);
        mountedCgroups = Podman.mountCgroups();
        // Left by a run that was killed.
        podman("rm", "-f", "-t", "0", "aws-node", "aws-node-unbaked", "aws-node-without-NET_ADMIN", "aws-node-without-NET_RAW",
                "aws-node-without-SYS_ADMIN");
    }

    @AfterAll
    static void unmountCgroups() throws Exception {
        if (mountedCgroups) {
            Podman.unmountCgroups();  // later tests in this JVM find the namespace as java-in-netns made it
        }
    }

    @Test
    void installsServesAPodAndStopsInOrder() throws Exception {
        onInstalledNode(CAPABILITIES, Map.of(), "aws-node", (host, agent, conflist, readyMs) -> {
            System.out.printf("ImageE2E: first start from the image (baked class-data archive): %d ms to ready%n", readyMs);
            assertTrue(Ip.exec(List.of("iptables-legacy-save", "-t", "nat")).contains("AWS-SNAT-CHAIN-0"),
                    "the daemon's SNAT rules are in kube-proxy's (legacy) backend" + logs(agent));

            var add = cni(host, conflist, "ADD");
            assertEquals(0, add.exit(), "ADD through the installed plugin: " + add.stdout() + add.stderr() + logs(agent));
            assertTrue(add.stdout().matches("(?s).*\"address\":\"10\\.0\\.1\\.[0-9]+/32\".*"), add.stdout());
            assertTrue(Ip.in("img-pod1", "-4", "addr", "show", "eth0").contains("10.0.1."), "the pod's eth0 has its address");
            var del = cni(host, conflist, "DEL");
            assertEquals(0, del.exit(), "DEL: " + del.stdout() + del.stderr() + logs(agent));
            // Nothing the daemon does at start or for a pod was refused for want of a capability or a writable path.
            var errors = logs(agent).lines().filter(l -> l.contains("\"level\":\"ERROR\"")).toList();
            assertEquals(List.of(), errors);
        });
    }

    @Test
    void firstStartWithoutTheBakedArchive() throws Exception {
        // A fresh path: the JVM only writes an archive there when it exits.
        onInstalledNode(CAPABILITIES, Map.of("AWS_K8S_AGENT_CDS_ARCHIVE", "/tmp/aws-k8s-agent.jsa"), "aws-node-unbaked",
                (host, agent, conflist, readyMs) -> System.out.printf("ImageE2E: first start without the baked archive: %d ms to ready%n", readyMs));
    }

    /** Each of {@link #CAPABILITIES} is needed: without it a pod cannot be wired, or the node's backend is missed. */
    @ParameterizedTest(name = "without {0}")
    @ValueSource(strings = {"NET_ADMIN", "NET_RAW", "SYS_ADMIN"})
    void eachCapabilityIsNeeded(String missing) throws Exception {
        var capabilities = CAPABILITIES.stream().filter(c -> !c.equals(missing)).toList();
        onInstalledNode(capabilities, Map.of(), "aws-node-without-" + missing, (host, agent, conflist, readyMs) -> {
            if (missing.equals("NET_RAW")) {
                assertTrue(logs(agent).contains("iptables backend: nft"), "legacy unreadable, so nft is chosen" + logs(agent));
                assertTrue(logs(agent).contains("give the daemon's container CAP_NET_RAW"), "and the operator is told why" + logs(agent));
                return;
            }
            var add = cni(host, conflist, "ADD");
            var refused = missing.equals("SYS_ADMIN") ? "setns /run/netns/img-pod1: EPERM" : "RTM_NEWLINK veth eth0";
            assertTrue(add.exit() != 0 && add.stdout().contains(refused) && add.stdout().contains("EPERM"), add.stdout());
        });
    }

    /** What a test does on the node once the daemon is ready and has written the conflist. */
    private interface OnReadyNode {
        void run(HostDirs host, Container agent, Path conflist, long readyMs) throws Exception;
    }

    /**
     * A simulated node whose kube-proxy uses the legacy backend, the init container run on it, then the daemon's
     * container with {@code capabilities}; {@code body} once it is ready; then SIGTERM, which must stop it in order.
     */
    private void onInstalledNode(List<String> capabilities, Map<String, String> extraEnv, String name, OnReadyNode body) throws Exception {
        try (var node = new NodeUnderTest("img", "t3.medium", dir)) {
            var host = new HostDirs(dir);
            var install = podman(initContainer(host, node), 120);
            assertEquals(0, install.exit(), "aws-k8s-agent install: " + install.output());
            for (var file : List.of("aws-cni", "loopback", "portmap", "bandwidth")) {
                assertTrue(Files.isExecutable(host.cniBin.resolve(file)), file + " installed in the host's CNI bin dir: " + install.output());
            }
            try (var dirs = Files.list(host.cniBin)) {  // the launcher's runtime, in a directory named after its content
                assertTrue(dirs.anyMatch(d -> d.getFileName().toString().startsWith("aws-cni.d-") && Files.isExecutable(d.resolve("jre/bin/java"))),
                        "aws-cni's runtime installed: " + install.output());
            }

            // kube-proxy's stand-in, in the legacy backend: the daemon must find it (which takes NET_RAW) and follow.
            legacyKubeProxy("-A");
            Container agent = null;
            try {
                agent = startDaemon(host, node, capabilities, extraEnv, name);
                var readyMs = awaitReady(agent);
                var conflist = host.netd.resolve("10-aws.conflist");
                await(agent, "the daemon writes " + conflist, () -> Files.exists(conflist));
                Ip.run("netns", "add", "img-pod1");
                body.run(host, agent, conflist, readyMs);
            } finally {
                Ip.quietly("netns", "del", "img-pod1");
                legacyKubeProxy("-D");
                if (agent != null) {
                    stopInOrder(agent);
                }
            }
        }
    }

    /**
     * Adds ({@code -A}) or removes ({@code -D}) kube-proxy-like rules in the node's legacy nat table: more than the
     * foreign rules earlier tests in this JVM's namespace left in nft (CNI portmap's), so legacy is the node's backend.
     */
    private static void legacyKubeProxy(String op) {
        if (op.equals("-A")) {
            var nft = IptablesPlan.foreignRules(Ip.exec(List.of("iptables-nft-save")));
            Ip.exec(List.of("iptables-legacy", "-t", "nat", "-N", "KUBE-SERVICES"));
            for (var i = 1; i <= nft + 1; i++) {
                Ip.exec(List.of("iptables-legacy", "-t", "nat", "-A", "KUBE-SERVICES", "-d", "10.100.0." + i + "/32", "-j", "RETURN"));
            }
        }
        Ip.exec(List.of("iptables-legacy", "-t", "nat", op, "PREROUTING", "-j", "KUBE-SERVICES"));
        if (op.equals("-D")) {
            Ip.exec(List.of("iptables-legacy", "-t", "nat", "-F", "KUBE-SERVICES"));
            Ip.exec(List.of("iptables-legacy", "-t", "nat", "-X", "KUBE-SERVICES"));
        }
    }

    /** The host's directories the DaemonSet mounts, here under the test's temp dir. */
    record HostDirs(Path cniBin, Path netd, Path run, Path log, Path pluginLog) {
        HostDirs(Path dir) throws IOException {
            this(Files.createDirectories(dir.resolve("opt-cni-bin")), Files.createDirectories(dir.resolve("net.d")),
                    Files.createDirectories(dir.resolve("var-run-aws-node")), Files.createDirectories(dir.resolve("var-log-aws-routed-eni")),
                    dir.resolve("plugin.log"));
        }

        /** The daemon's socket: under /var/run/aws-node, at a path the host side (this test) can also reach. */
        Path socket() {
            return run.resolve("ipamd.sock");
        }

        List<String> mounts() {
            return List.of("-v", cniBin + ":/host/opt/cni/bin", "-v", netd + ":/host/etc/cni/net.d",
                    "-v", run + ":/var/run/aws-node", "-v", run + ":" + run,
                    "-v", log + ":/host/var/log/aws-routed-eni",
                    // HostToContainer: the pods' namespaces made after the container started appear in it.
                    "-v", "/run/netns:/var/run/netns:rslave");
        }
    }

    /** The environment of both containers: the simulated cloud's, the checkpoint where the DaemonSet keeps it. */
    private static List<String> env(NodeUnderTest node, HostDirs host, Map<String, String> extra) {
        var env = new java.util.TreeMap<>(node.env());
        env.remove("AWS_VPC_K8S_CNI_BACKING_STORE");  // the image's default: /var/run/aws-node/ipam.json
        env.put("IPAMD_SOCKET_PATH", host.socket().toString());
        env.put("AWS_VPC_K8S_PLUGIN_LOG_FILE", host.pluginLog.toString());  // written by the plugin, on the host side
        env.putAll(extra);
        var args = new ArrayList<String>();
        env.forEach((k, v) -> args.addAll(List.of("-e", k + "=" + v)));
        return args;
    }

    /** As the DaemonSet's init container: privileged, for the node's sysctls. */
    private static List<String> initContainer(HostDirs host, NodeUnderTest node) {
        var args = new ArrayList<>(List.of("run", "--rm", "--cgroups=disabled", "--privileged", "--network", nodeNetwork()));
        args.addAll(host.mounts());
        args.addAll(env(node, host, Map.of()));
        args.addAll(List.of(image, "install"));
        return args;
    }

    /** A started container, and when `podman run` was called for it. */
    record Container(String name, long startedNanos) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Container startDaemon(HostDirs host, NodeUnderTest node, List<String> capabilities, Map<String, String> extra,
                                         String name) throws Exception {
        var args = new ArrayList<>(List.of("run", "-d", "--name", name, "--cgroups=disabled", "--network", nodeNetwork(), "--cap-drop=all"));
        capabilities.forEach(c -> args.add("--cap-add=" + c));
        args.addAll(host.mounts());
        args.addAll(env(node, host, extra));
        args.add(image);
        var start = System.nanoTime();
        var run = podman(args, 60);
        assertEquals(0, run.exit(), "podman run: " + run.output());
        return new Container(name, start);
    }

    /** hostNetwork: the container joins the node's (this test JVM's) network namespace. */
    private static String nodeNetwork() {
        return "ns:/proc/" + ProcessHandle.current().pid() + "/ns/net";
    }

    /** @return ms from `podman run` until /readyz answers 200: the node's view of a start */
    private static long awaitReady(Container container) throws Exception {
        await(container, "/readyz answers 200", ImageE2E::ready);
        return (System.nanoTime() - container.startedNanos()) / 1_000_000;
    }

    private static boolean ready() {
        try (var client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:61679/readyz")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGTERM as kubelet stops the pod: the daemon logs its orderly stop and exits 0 or 143 within the grace period. */
    private static void stopInOrder(Container container) throws Exception {
        var stop = podman(List.of("stop", "-t", "30", container.name()), 60);
        var state = podman("inspect", "--format", "{{.State.ExitCode}}", container.name()).output().strip();
        var logs = logs(container);
        podman("rm", "-f", container.name());
        assertEquals(0, stop.exit(), "podman stop: " + stop.output());
        assertTrue(state.equals("0") || state.equals("143"), "exit code " + state + logs);
        assertTrue(logs.contains("aws-k8s-agent stopped"), "an orderly stop is logged:" + logs);
    }

    /** The plugin as installed on the host, run with the netconf a runtime derives from the conflist's first plugin. */
    private Executables.Result cni(HostDirs host, Path conflist, String verb) throws IOException, InterruptedException {
        var list = (ObjectNode) new ObjectMapper().readTree(conflist.toFile());
        var conf = ((ObjectNode) list.get("plugins").get(0)).put("cniVersion", list.get("cniVersion").asText())
                .put("name", list.get("name").asText());
        return Executables.plugin(host.cniBin.resolve("aws-cni"), Map.of("CNI_COMMAND", verb, "CNI_CONTAINERID", "img-pod1",
                "CNI_NETNS", "/run/netns/img-pod1", "CNI_IFNAME", "eth0", "CNI_PATH", host.cniBin.toString(),
                "CNI_ARGS", "K8S_POD_NAMESPACE=e2e;K8S_POD_NAME=pod1"), conf.toString());
    }

    private static String logs(Container container) throws IOException, InterruptedException {
        return "\ncontainer log:\n" + podman("logs", container.name()).output();
    }

    /** Polls until {@code condition} holds, the container exits (a failure at once) or a generous deadline passes. */
    private static void await(Container container, String what, BooleanSupplier condition) throws Exception {
        var end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (var polls = 0; !condition.getAsBoolean(); polls++) {
            // Asking podman costs ~100 ms: often enough to fail at once on a crash, not so often that it skews the figures.
            var running = polls % 20 != 19 || podman("inspect", "--format", "{{.State.Running}}", container.name()).output().strip().equals("true");
            if (!running || System.nanoTime() > end) {
                throw new AssertionError((running ? "not within 60 s: " : "the container stopped before: ") + what + logs(container));
            }
            Thread.sleep(20);  // a poll interval; the condition decides
        }
    }
}
