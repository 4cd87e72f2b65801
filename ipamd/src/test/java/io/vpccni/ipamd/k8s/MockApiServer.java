package io.vpccni.ipamd.k8s;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Fabric8's mock API server over HTTPS in CRUD mode with expectations on top (an expectation, such as one 500,
 * answers first; everything else is stored and watched like a real server), with the repository's real CRD
 * manifests applied: the chart's ENIConfig CRD and the CNINode CRD from config/crds.
 */
public final class MockApiServer implements AutoCloseable {
    static final Path ENI_CONFIG_CRD = repositoryFile("charts/aws-vpc-cni/crds/eniconfigs.yaml");
    static final Path CNI_NODE_CRD = repositoryFile("config/crds/cninodes.yaml");
    /** Held: java.util.logging keeps loggers weakly, and the mock logs every request at INFO otherwise. */
    private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    static {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    public final KubernetesMockServer server;
    /** The test's own client, to arrange and inspect objects (Fabric8's defaults, retries included). */
    public final KubernetesClient admin;
    private boolean stopped;

    public MockApiServer() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), true);
        server.start(java.net.InetAddress.getLoopbackAddress(), 0);
        admin = server.createClient();
        for (var crd : new Path[] {ENI_CONFIG_CRD, CNI_NODE_CRD}) {
            try (var in = Files.newInputStream(crd)) {
                admin.apiextensions().v1().customResourceDefinitions().load(in).create();
            } catch (IOException e) {
                throw new UncheckedIOException("the CRD manifest " + crd.toAbsolutePath() + " cannot be read", e);
            }
        }
    }

    /** A configuration for the daemon's client: the server's URL, its self-signed certificate trusted. */
    Config config() {
        return new ConfigBuilder(Config.empty()).withMasterUrl(server.url("/")).withTrustCerts(true)
                .withHttp2Disable(true).withNamespace("test").withOauthToken("secret").build();
    }

    /** A client tuned as the daemon's is (no Fabric8 retries, the daemon's timeouts and user agent). */
    KubernetesClient daemonClient() {
        return new KubernetesClientBuilder().withConfig(KubeClientConfig.tune(config()))
                .withHttpClientFactory(new JdkHttpClientFactory()).build();
    }

    /** A kubeconfig file pointing at this server, as {@code KUBECONFIG} names one in the sandbox. */
    Path writeKubeconfig(Path dir) {
        return writeKubeconfig(dir, server.url("/"));
    }

    /** A kubeconfig file for the aws-node service account at {@code serverUrl} (a self-signed certificate trusted). */
    public static Path writeKubeconfig(Path dir, String serverUrl) {
        var file = dir.resolve("kubeconfig");
        var text = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: %s
                    insecure-skip-tls-verify: true
                users:
                - name: aws-node
                  user:
                    token: secret
                contexts:
                - name: mock
                  context: {cluster: mock, user: aws-node, namespace: kube-system}
                current-context: mock
                """.formatted(serverUrl);
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * A file of this repository: under {@code -Dvpccni.repo} (the sandbox sets it), else found upwards from the working
     * directory (a module's tests run in the module's directory).
     */
    public static Path repositoryFile(String relative) {
        var root = System.getProperty("vpccni.repo");
        if (root != null) {
            return Path.of(root).resolve(relative);
        }
        for (var dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        throw new IllegalStateException(relative + " is not found above " + Path.of("").toAbsolutePath()
                + ": run from the repository or set -Dvpccni.repo");
    }

    public void stop() {
        if (!stopped) {
            stopped = true;
            admin.close();
            server.shutdown();
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Polls {@code condition} until it holds or {@code deadline} passes; a test then asserts the end state. */
    static void await(Duration deadline, BooleanSupplier condition, Supplier<String> state) {
        var end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("still not so after " + deadline + ": " + state.get());
            }
            try {
                Thread.sleep(10);  // a poll interval, not a wait for time to pass: the condition decides
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting", e);
            }
        }
    }

    static void await(BooleanSupplier condition, Supplier<String> state) {
        await(Duration.ofSeconds(20), condition, state);
    }
}
