package io.vpccni.ipamd.k8s;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

import static io.vpccni.ipamd.k8s.MockApiServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole connection, made the way the daemon makes it: from {@link KubeSettings}, with a kubeconfig file. */
class KubeClusterTest {
    private final MockApiServer api = new MockApiServer();
    private Cluster cluster;

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        api.close();
    }

    private KubeSettings settings(Path kubeconfig, Optional<URI> endpoint, String node) {
        return new KubeSettings(Optional.of(kubeconfig), endpoint, false, Optional.ofNullable(node),
                Optional.of("aws-node-x7k2p"), "kube-system");
    }

    @Test
    void connectsThroughAKubeconfigAndSaysPreciselyWhenTheServerIsGone() throws Exception {
        api.admin.nodes().resource(new NodeBuilder().withNewMetadata().withName("ip-10-0-0-1").endMetadata()
                .withNewStatus().addToCapacity("pods", new Quantity("58")).endStatus().build()).create();
        cluster = KubeCluster.connect(settings(api.writeKubeconfig(dir), Optional.empty(), "ip-10-0-0-1"),
                KubeCluster.Features.of(true), new SimpleMeterRegistry());

        await(() -> cluster.apiServer().reachable(), () -> cluster.apiServer().problem());
        await(() -> cluster.node().current().isPresent(), () -> "no Node");
        assertEquals(OptionalInt.of(58), cluster.node().current().orElseThrow().capacityPods());
        assertTrue(cluster.eniConfigs().synced());
        assertEquals("", cluster.apiServer().problem());
        assertTrue(userAgentOfTheNodeWatch().startsWith("aws-k8s-agent/"), userAgentOfTheNodeWatch());

        api.stop();
        // Lost, then why: the probe that a lost watch wakes reports the refused connection.
        await(() -> cluster.apiServer().problem().contains("ConnectException"), () -> cluster.apiServer().problem());
        assertFalse(cluster.apiServer().reachable());
        var problem = cluster.apiServer().problem();
        assertTrue(problem.startsWith("the watch on "), problem);
        assertTrue(problem.contains("was lost and is reconnecting; GET /version failed at "), problem);
        assertTrue(problem.contains(api.server.url("/")), "names the server: " + problem);
    }

    private String userAgentOfTheNodeWatch() throws InterruptedException {
        for (var request = api.server.takeRequest(5, TimeUnit.SECONDS); request != null;
             request = api.server.takeRequest(5, TimeUnit.SECONDS)) {
            if (request.getPath().startsWith("/api/v1/nodes?")) {
                return request.getHeader("User-Agent");
            }
        }
        return "no request for the Node seen";
    }

    @Test
    void connectingDoesNotWaitForAnAbsentServer() throws IOException {
        int port;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();  // free once closed: nothing listens there
        }
        var nowhere = URI.create("https://127.0.0.1:" + port);
        cluster = KubeCluster.connect(settings(api.writeKubeconfig(dir), Optional.of(nowhere), "ip-10-0-0-1"),
                KubeCluster.Features.of(false), new SimpleMeterRegistry());

        assertTrue(cluster.node().current().isEmpty());
        cluster.events().warning("MissingIAMPermissions", "logged, queued, and never waited for");
        cluster.pods().podIps("default", "web-1", java.util.List.of("10.0.1.5"));
        await(() -> cluster.apiServer().problem().contains("Connect"), () -> cluster.apiServer().problem());
        var problem = cluster.apiServer().problem();
        assertTrue(problem.startsWith("the watch on Node ip-10-0-0-1 is not established yet; "), problem);
        assertTrue(problem.contains("127.0.0.1:" + port), "CLUSTER_ENDPOINT overrides the kubeconfig: " + problem);
    }

    @Test
    void withoutANodeNameOnlyThePartsThatNeedNoneRun() {
        var settings = new KubeSettings(Optional.of(api.writeKubeconfig(dir)), Optional.empty(), false, Optional.empty(),
                Optional.empty(), "kube-system");
        cluster = KubeCluster.connect(settings, KubeCluster.Features.of(false), new SimpleMeterRegistry());
        assertSame(NodeView.NONE, cluster.node());
        assertSame(SweepLease.NONE, cluster.sweepLease());
        assertSame(CniNodeFeatures.NONE, cluster.cniNode());
        assertSame(ClusterEvents.LOG, cluster.events(), "no pod and no Node to post on");
        // No watch: the probe of /version says whether the server answers.
        await(() -> cluster.apiServer().reachable(), () -> cluster.apiServer().problem());
    }

    @Test
    void theEndpointOverridesTheServerOfTheKubeconfig() {
        var config = KubeClientConfig.from(settings(api.writeKubeconfig(dir),
                Optional.of(URI.create("https://ABCD.gr7.us-west-2.eks.amazonaws.com")), "n"));
        assertTrue(config.getMasterUrl().startsWith("https://ABCD.gr7.us-west-2.eks.amazonaws.com"), config.getMasterUrl());
        assertTrue(config.getUserAgent().startsWith("aws-k8s-agent/"), config.getUserAgent());
        assertEquals(KubeClientConfig.REQUEST_TIMEOUT_MS, config.getRequestTimeout());
        assertEquals(0, config.getRequestRetryBackoffLimit());
    }
}
