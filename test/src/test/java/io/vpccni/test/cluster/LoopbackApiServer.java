package io.vpccni.test.cluster;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.vpccni.ipamd.k8s.MockApiServer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A Kubernetes API server on loopback for the end-to-end tests and the sandbox: Fabric8's mock server over HTTPS in
 * CRUD mode (objects are stored, listed and watched like a real server's, resourceVersions checked on update) with the
 * repository's CRD manifests applied, the chart's ENIConfig CRD and the CNINode CRD from config/crds. The daemon
 * reaches it through a {@link TcpRelay}, so a test can take the server away ({@link #goDown()}: connections refused,
 * watches cut) and bring it back ({@link #comeBack()}) with every object as it was. {@link #admin} talks to the
 * server directly, so the test can arrange and read objects while the daemon cannot.
 */
public final class LoopbackApiServer implements AutoCloseable {
    public static final String UNSCHEDULABLE = "node.kubernetes.io/unschedulable";
    public static final String ZONE_LABEL = "topology.kubernetes.io/zone";
    static final ResourceDefinitionContext ENI_CONFIG = new ResourceDefinitionContext.Builder()
            .withGroup("crd.k8s.amazonaws.com").withVersion("v1alpha1").withKind("ENIConfig").withPlural("eniconfigs")
            .withNamespaced(false).build();
    static final ResourceDefinitionContext CNI_NODE = new ResourceDefinitionContext.Builder()
            .withGroup("vpcresources.k8s.aws").withVersion("v1alpha1").withKind("CNINode").withPlural("cninodes")
            .withNamespaced(false).build();
    private final MockApiServer api;
    private final TcpRelay door;
    /** The test's own client, straight to the server (Fabric8's defaults, retries included). */
    public final KubernetesClient admin;
    private boolean closed;

    public LoopbackApiServer() {
        api = new MockApiServer();
        admin = api.admin;
        door = new TcpRelay(new InetSocketAddress(InetAddress.getLoopbackAddress(), api.server.getPort()));
    }

    /** The URL the daemon is given: the door, with the host name the server's certificate was made for. */
    public URI url() {
        var direct = URI.create(api.server.url("/"));
        return URI.create("https://" + direct.getHost() + ":" + door.port() + "/");
    }

    /** A configuration for an in-process client (the daemon's classes in a test): through the door, certificate trusted. */
    public Config config() {
        return new ConfigBuilder(Config.empty()).withMasterUrl(url().toString()).withTrustCerts(true)
                .withHttp2Disable(true).withNamespace("kube-system").withOauthToken("secret").build();
    }

    /** A kubeconfig file pointing at the door, as {@code KUBECONFIG} names one for the daemon. */
    public Path writeKubeconfig(Path dir) {
        return MockApiServer.writeKubeconfig(dir, url().toString());
    }

    /**
     * What the chart gives aws-node to reach this server as node {@code node}, pod {@code kube-system/pod}: the
     * kubeconfig (written into {@code dir}) and the downward-API names.
     */
    public Map<String, String> daemonEnv(Path dir, String node, String pod) {
        return Map.of("KUBECONFIG", writeKubeconfig(dir).toString(), "MY_NODE_NAME", node, "MY_POD_NAME", pod,
                "MY_POD_NAMESPACE", "kube-system");
    }

    /** The API server goes away for the daemon: connections refused, its watches cut. */
    public void goDown() {
        door.shut();
    }

    /** The API server is back, with every object it had (and those the test changed meanwhile). */
    public void comeBack() {
        door.reopen();
    }

    // ---- the objects a node's daemon reads

    /** A Node as kubelet registers it: labels, and {@code status.capacity.pods} when given. */
    public void createNode(String name, Map<String, String> labels, OptionalInt capacityPods) {
        var node = new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().withNewSpec().endSpec();
        if (capacityPods.isPresent()) {
            node.withNewStatus().addToCapacity("pods", new Quantity(Integer.toString(capacityPods.getAsInt()))).endStatus();
        }
        admin.nodes().resource(node.build()).create();
    }

    /** Cordons the node as {@code kubectl cordon} does, by the taint the daemon reads. */
    public void taint(String node) {
        admin.nodes().withName(node).edit(n -> new NodeBuilder(n).editSpec().addNewTaint().withKey(UNSCHEDULABLE)
                .withEffect("NoSchedule").endTaint().endSpec().build());
    }

    public void untaint(String node) {
        admin.nodes().withName(node).edit(n -> new NodeBuilder(n).editSpec().withTaints(n.getSpec().getTaints().stream()
                .filter(t -> !UNSCHEDULABLE.equals(t.getKey())).toList()).endSpec().build());
    }

    /** What kubelet reports when its --max-pods changes: the Node's {@code status.capacity.pods}, by the status subresource. */
    public void setCapacityPods(String node, int pods) {
        admin.nodes().withName(node).editStatus(n -> new NodeBuilder(n).editOrNewStatus()
                .addToCapacity("pods", new Quantity(Integer.toString(pods))).endStatus().build());
        var now = admin.nodes().withName(node).get().getStatus().getCapacity().get("pods");
        if (now == null || !now.getAmount().equals(Integer.toString(pods))) {
            throw new IllegalStateException("the mock API server did not store capacity.pods " + pods + " on " + node + ": " + now);
        }
    }

    /** The aws-node pod of the DaemonSet on {@code node}: the object the daemon posts its events on. */
    public void createAwsNodePod(String namespace, String name, String node) {
        admin.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .addToLabels("k8s-app", "aws-node").endMetadata().withNewSpec().withNodeName(node).withHostNetwork(true)
                .addNewContainer().withName("aws-node").withImage("aws-node").endContainer().endSpec().build()).create();
    }

    /** An ENIConfig: the subnet and security groups of the ENIs of the nodes that use it. */
    public void createEniConfig(String name, String subnetId, List<String> securityGroups) {
        var spec = new HashMap<String, Object>();
        spec.put("subnet", subnetId);
        if (!securityGroups.isEmpty()) {
            spec.put("securityGroups", securityGroups);
        }
        admin.genericKubernetesResources(ENI_CONFIG).resource(new GenericKubernetesResourceBuilder()
                .withApiVersion("crd.k8s.amazonaws.com/v1alpha1").withKind("ENIConfig").withNewMetadata().withName(name)
                .endMetadata().withAdditionalProperties(Map.of("spec", spec)).build()).create();
    }

    /** Every Event posted, oldest first. */
    public List<Event> events() {
        return admin.v1().events().inAnyNamespace().list().getItems().stream()
                .sorted(Comparator.comparing(e -> e.getMetadata().getCreationTimestamp() == null ? "" : e.getMetadata().getCreationTimestamp()))
                .toList();
    }

    /** The events with {@code reason}. */
    public List<Event> events(String reason) {
        return events().stream().filter(e -> reason.equals(e.getReason())).toList();
    }

    /** The node's CNINode, when someone wrote one. */
    public Optional<GenericKubernetesResource> cniNode(String node) {
        return Optional.ofNullable(admin.genericKubernetesResources(CNI_NODE).withName(node).get());
    }

    /** The {@code spec.features} of the node's CNINode, {@code name=value} each. */
    @SuppressWarnings("unchecked")
    public List<String> cniNodeFeatures(String node) {
        return cniNode(node).map(c -> {
            var spec = (Map<String, Object>) c.getAdditionalProperties().getOrDefault("spec", Map.of());
            var features = (List<Map<String, Object>>) spec.getOrDefault("features", List.of());
            return features.stream().map(f -> f.get("name") + "=" + f.getOrDefault("value", "")).toList();
        }).orElse(List.of());
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            door.close();
            api.close();
        }
    }
}
