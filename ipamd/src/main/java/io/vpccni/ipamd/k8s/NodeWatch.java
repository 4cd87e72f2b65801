package io.vpccni.ipamd.k8s;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * This node's Node object through an informer selected by {@code metadata.name}: the API server sends this one
 * object and its changes, never the cluster's nodes (a list of 5,000 Nodes from every aws-node pod at once is what
 * brings a control plane down). The informer lists, watches and re-lists by itself, retrying while the server is
 * away; {@link #current()} is the newest Node it delivered.
 */
final class NodeWatch implements NodeView, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeWatch.class);
    static final String UNSCHEDULABLE_TAINT = "node.kubernetes.io/unschedulable";

    private final String nodeName;
    private final SharedIndexInformer<Node> informer;
    private final AtomicReference<NodeFacts> current = new AtomicReference<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    /** Starts the watch in the background: returns at once even when the API server does not answer. */
    static NodeWatch start(KubernetesClient client, String nodeName, ApiServerHealth health) {
        var informer = client.nodes().withField("metadata.name", nodeName).runnableInformer(0);
        var watch = new NodeWatch(nodeName, informer);
        informer.exceptionHandler(health.watching("Node " + nodeName, informer));
        informer.addEventHandler(watch.handler());
        informer.start();
        return watch;
    }

    private NodeWatch(String nodeName, SharedIndexInformer<Node> informer) {
        this.nodeName = nodeName;
        this.informer = informer;
    }

    @Override
    public Optional<NodeFacts> current() {
        return Optional.ofNullable(current.get());
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    private ResourceEventHandler<Node> handler() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(Node node) {
                seen(node);
            }

            @Override
            public void onUpdate(Node before, Node after) {
                seen(after);
            }

            @Override
            public void onDelete(Node node, boolean finalStateUnknown) {
                // A deleted Node is a node being taken out of the cluster: nothing it said still holds.
                log.warn("Node {} was deleted from the cluster; its capacity, taints and labels no longer apply", nodeName);
                current.set(null);
                notifyListeners();
            }
        };
    }

    private void seen(Node node) {
        var facts = facts(node);
        var before = current.getAndSet(facts);
        if (Objects.equals(before, facts)) {
            return;  // a resync or a status heartbeat: nothing the daemon reads changed
        }
        if (before == null || before.unschedulableTaint() != facts.unschedulableTaint()
                || !before.capacityPods().equals(facts.capacityPods())) {
            log.info("Node {}: capacity.pods {}, {}", nodeName,
                    facts.capacityPods().isPresent() ? facts.capacityPods().getAsInt() : "not given",
                    facts.unschedulableTaint() ? "tainted " + UNSCHEDULABLE_TAINT : "not cordoned");
        }
        notifyListeners();
    }

    private void notifyListeners() {
        for (var listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                log.error("a listener of Node {} failed; the others still run", nodeName, e);
            }
        }
    }

    /** What the daemon reads of a Node. */
    static NodeFacts facts(Node node) {
        var meta = node.getMetadata();
        var spec = node.getSpec();
        var status = node.getStatus();
        var capacity = status == null || status.getCapacity() == null ? null : status.getCapacity().get("pods");
        var tainted = spec != null && spec.getTaints() != null
                && spec.getTaints().stream().anyMatch(t -> UNSCHEDULABLE_TAINT.equals(t.getKey()));
        return new NodeFacts(meta.getName(), pods(meta.getName(), capacity), tainted,
                meta.getLabels() == null ? Map.of() : meta.getLabels(),
                meta.getAnnotations() == null ? Map.of() : meta.getAnnotations());
    }

    /** {@code status.capacity.pods} as a count; empty (and logged) when it is not a whole non-negative number. */
    static OptionalInt pods(String nodeName, Quantity capacity) {
        if (capacity == null) {
            return OptionalInt.empty();
        }
        try {
            var count = capacity.getNumericalAmount().intValueExact();
            if (count >= 0) {
                return OptionalInt.of(count);
            }
        } catch (ArithmeticException | IllegalArgumentException e) {
            // reported below, as a negative count is
        }
        log.warn("Node {}: status.capacity.pods '{}' is not a pod count; ignoring it", nodeName, capacity);
        return OptionalInt.empty();
    }

    @Override
    public void close() {
        informer.stop();
    }
}
