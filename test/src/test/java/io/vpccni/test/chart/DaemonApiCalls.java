package io.vpccni.test.chart;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vpccni.ipamd.k8s.Cluster;
import io.vpccni.ipamd.k8s.KubeCluster;
import io.vpccni.ipamd.k8s.KubeSettings;
import io.vpccni.ipamd.k8s.MockApiServer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Every request the daemon's API-server code makes, recorded: the real {@link KubeCluster} (the daemon's client,
 * informers and writers, connected through a kubeconfig as in the sandbox) against Fabric8's mock API server, with
 * each of its features driven once through the daemon's own ports, the way {@code Main} and {@code NodeServices}
 * drive them. The daemon's requests are told from the test's own by their user agent, aws-k8s-agent/<version>.
 */
public final class DaemonApiCalls {
    static final String NODE = "ip-10-0-0-1";
    static final String POD = "aws-node-x7k2p";
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final ResourceDefinitionContext CNI_NODE = new ResourceDefinitionContext.Builder()
            .withGroup("vpcresources.k8s.aws").withVersion("v1alpha1").withPlural("cninodes").withKind("CNINode").build();
    private static final ResourceDefinitionContext ENI_CONFIG = new ResourceDefinitionContext.Builder()
            .withGroup("crd.k8s.amazonaws.com").withVersion("v1alpha1").withPlural("eniconfigs").withKind("ENIConfig").build();

    private DaemonApiCalls() {
    }

    /**
     * Runs every feature: the Node watch, the ENIConfig watch (custom networking) over {@code eniConfigs} (the chart's
     * own ENIConfig objects, so they are also proven readable by the daemon), Events on the pod and on the Node, a
     * repeated Event, the pod-ips annotation (ANNOTATE_POD_IP), the CNINode feature created then updated, the sweep
     * lease taken then renewed.
     */
    public static List<ApiRequest> recordAll(Path dir, List<GenericKubernetesResource> eniConfigs, String eniConfigName) throws Exception {
        try (var api = new MockApiServer()) {
            arrange(api, eniConfigs);
            var kubeconfig = MockApiServer.writeKubeconfig(dir, api.server.url("/"));
            var onPod = new KubeSettings(Optional.of(kubeconfig), Optional.empty(), false, Optional.of(NODE), Optional.of(POD), "kube-system");
            try (var cluster = KubeCluster.connect(onPod, KubeCluster.Features.of(true), new SimpleMeterRegistry())) {
                exercise(api, cluster, eniConfigName);
            }
            // Without MY_POD_NAME the Events go on the Node, in "default".
            var onNode = new KubeSettings(Optional.of(kubeconfig), Optional.empty(), false, Optional.of(NODE), Optional.empty(), "kube-system");
            try (var cluster = KubeCluster.connect(onNode, KubeCluster.Features.of(false), new SimpleMeterRegistry())) {
                cluster.events().warning("EniConfigMissing", "posted on the Node");
                await(() -> !api.admin.v1().events().inNamespace("default").list().getItems().isEmpty(), "an Event on the Node");
            }
            return daemonRequests(api);
        }
    }

    private static void arrange(MockApiServer api, List<GenericKubernetesResource> eniConfigs) {
        api.admin.nodes().resource(new NodeBuilder().withNewMetadata().withName(NODE).endMetadata()
                .withNewStatus().addToCapacity("pods", new Quantity("58")).endStatus().build()).create();
        api.admin.pods().inNamespace("kube-system").resource(new PodBuilder().withNewMetadata().withName(POD).endMetadata().build()).create();
        api.admin.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("web-1").endMetadata().build()).create();
        for (var config : eniConfigs) {
            api.admin.genericKubernetesResources(ENI_CONFIG).resource(config).create();
        }
    }

    private static void exercise(MockApiServer api, Cluster cluster, String eniConfigName) {
        await(() -> cluster.node().current().isPresent(), "the Node seen through the watch");
        await(() -> cluster.eniConfigs().get(eniConfigName).isPresent(), "the ENIConfig " + eniConfigName + " seen");

        cluster.events().warning("MissingIAMPermissions", "ec2:AssignPrivateIpAddresses was refused");
        await(() -> eventCount(api) == 1, "the first Event");
        cluster.events().warning("MissingIAMPermissions", "ec2:AssignPrivateIpAddresses was refused");
        await(() -> eventCount(api) == 2, "the repeated Event counted");

        cluster.pods().podIps("default", "web-1", List.of("10.0.1.5"));
        await(() -> "10.0.1.5".equals(annotation(api.admin.pods().inNamespace("default").withName("web-1").get(),
                "vpc.amazonaws.com/pod-ips")), "the pod-ips annotation");

        cluster.cniNode().advertise("CustomNetworking", eniConfigName);
        await(() -> cniNode(api).contains(eniConfigName), "the CNINode created");
        cluster.cniNode().advertise("CustomNetworking", "another");
        await(() -> cniNode(api).contains("another"), "the CNINode updated");

        if (!cluster.sweepLease().acquire(Duration.ofMinutes(10)) || !cluster.sweepLease().acquire(Duration.ofMinutes(10))) {
            throw new AssertionError("the sweep lease was not taken and renewed");
        }
    }

    private static int eventCount(MockApiServer api) {
        return api.admin.v1().events().inNamespace("kube-system").list().getItems().stream()
                .mapToInt(e -> e.getCount() == null ? 1 : e.getCount()).max().orElse(0);
    }

    private static String cniNode(MockApiServer api) {
        var node = api.admin.genericKubernetesResources(CNI_NODE).withName(NODE).get();
        return node == null ? "" : String.valueOf(node.getAdditionalProperties().get("spec"));
    }

    private static String annotation(HasMetadata object, String key) {
        var annotations = object.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }

    private static List<ApiRequest> daemonRequests(MockApiServer api) throws InterruptedException {
        var requests = new ArrayList<ApiRequest>();
        for (var r = api.server.takeRequest(200, TimeUnit.MILLISECONDS); r != null; r = api.server.takeRequest(200, TimeUnit.MILLISECONDS)) {
            var agent = r.getHeader("User-Agent");
            if (agent != null && agent.startsWith("aws-k8s-agent/")) {
                requests.add(ApiRequest.of(r.getMethod(), r.getPath()));
            }
        }
        return requests;
    }

    /** A poll of the mock's state, not a wait for time to pass: the condition decides. */
    private static void await(BooleanSupplier condition, String what) {
        var end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("the daemon did not get to " + what + " within " + DEADLINE);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }
}
