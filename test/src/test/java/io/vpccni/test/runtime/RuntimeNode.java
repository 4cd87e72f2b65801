package io.vpccni.test.runtime;

import io.vpccni.test.node.NodeUnderTest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A simulated node ready for a real container runtime: the runtimes' host paths and cgroups private to this JVM's
 * namespaces, the CNI directories as aws-node installs them, the real daemon serving with a pool large enough for
 * {@code pods} (so no ADD waits on EC2, and a runtime that does not retry never sees "try again later"), the
 * conflist written, ip_forward on as on an EKS node, a whoami server on the node's own address and one outside
 * the VPC.
 */
final class RuntimeNode implements AutoCloseable {
    /** Where the node's whoami server listens, on its primary address. */
    static final int NODE_PORT = 8081;
    private static final Pattern POD_IP = Pattern.compile("\"ip\"\\s*:\\s*\"([0-9.]+)\"");

    final NodeUnderTest node;
    final InstalledNode cni;
    final Path dir;
    private final OutsideWorld outside;
    private final WhoamiServer nodeServer;

    private RuntimeNode(NodeUnderTest node, InstalledNode cni, Path dir, OutsideWorld outside, WhoamiServer nodeServer) {
        this.node = node;
        this.cni = cni;
        this.dir = dir;
        this.outside = outside;
        this.nodeServer = nodeServer;
    }

    static RuntimeNode start(String name, Path dir, int pods) throws IOException, InterruptedException {
        PrivateHostState.enter();
        NodeUnderTest node = null;
        OutsideWorld outside = null;
        try {
            Files.writeString(Path.of("/proc/sys/net/ipv4/ip_forward"), "1");  // this JVM's namespace only
            node = new NodeUnderTest(name, "m5.large", dir);
            var cni = InstalledNode.install(node, dir);
            outside = OutsideWorld.around("vpc-" + name, node.primaryEni());
            var env = new HashMap<String, String>(cni.daemonEnv());
            env.put("AWS_K8S_AGENT_CDS_ARCHIVE", BuildTree.agentCdsArchive().toString());
            env.put("MINIMUM_IP_TARGET", String.valueOf(pods));
            env.put("WARM_IP_TARGET", "2");
            node.start(env);
            cni.awaitConflist(node);
            node.await(Duration.ofSeconds(60), "a pool of " + pods + " addresses",
                    () -> NodeUnderTest.metric("awscni_total_ip_addresses").orElse(0.0) >= pods,
                    () -> "total " + NodeUnderTest.metric("awscni_total_ip_addresses"));
            var nodeServer = WhoamiServer.start(null, node.primaryEni().primaryIp(), NODE_PORT);
            return new RuntimeNode(node, cni, dir, outside, nodeServer);
        } catch (IOException | RuntimeException | InterruptedException | Error e) {
            try {
                if (outside != null) {
                    outside.close();
                }
                if (node != null) {
                    node.close();
                }
            } finally {
                PrivateHostState.leave();
            }
            throw e;
        }
    }

    String primaryIp() {
        return node.primaryEni().primaryIp();
    }

    String outsideUrl() {
        return outside.url();
    }

    String nodeUrl() {
        return nodeServer.url();
    }

    /** Pods' addresses the daemon counts as assigned. */
    int assignedIps() {
        return NodeUnderTest.metric("awscni_assigned_ip_addresses").orElseThrow().intValue();
    }

    /** The addresses of the pods the daemon's introspection lists (GET /v1/pods). */
    static Set<String> introspectedPodIps() {
        try (var client = HttpClient.newHttpClient()) {
            var body = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:61679/v1/pods")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return POD_IP.matcher(body).results().map(m -> m.group(1)).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            nodeServer.close();
            outside.close();
        } finally {
            try {
                node.close();
            } finally {
                PrivateHostState.leave();
            }
        }
    }
}
