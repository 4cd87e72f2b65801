package io.vpccni.ipamd.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.vpccni.ipamd.schedule.Next;
import io.vpccni.ipamd.schedule.Scheduler;
import io.vpccni.ipamd.schedule.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Advertises this node's features on its {@code CNINode} ({@code vpcresources.k8s.aws/v1alpha1}, named after the
 * node), which the VPC resource controller reads: {@code SecurityGroupsForPods} before it attaches a trunk ENI,
 * {@code CustomNetworking} with the ENIConfig's name. The controller and other agents write features too, so the
 * list is read, merged (ours added or updated, every other entry kept in place) and written back with the
 * resourceVersion read: a concurrent writer makes the update fail with 409, and the merge is done again on the
 * fresh object instead of overwriting it. Where no CNINode exists yet, it is created, owned by the Node so that it
 * goes with it. Everything runs on one background task that retries with a backoff.
 */
final class CniNodePatcher implements CniNodeFeatures, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CniNodePatcher.class);

    static final ResourceDefinitionContext CNI_NODE = new ResourceDefinitionContext.Builder()
            .withGroup("vpcresources.k8s.aws").withVersion("v1alpha1").withKind("CNINode").withPlural("cninodes")
            .withNamespaced(false).build();
    /** Conflicts in a row before backing off: two writers rarely collide twice. */
    private static final int CONFLICT_ATTEMPTS = 3;

    private final KubernetesClient client;
    private final String nodeName;
    private final ApiServerHealth health;
    private final RetryDelay retryDelay;
    /** What this node wants advertised, in the order first asked. */
    private final Map<String, String> wanted = new LinkedHashMap<>();
    private final Task task;
    private int failuresInRow;

    CniNodePatcher(KubernetesClient client, String nodeName, ApiServerHealth health, Scheduler scheduler,
                   RetryDelay retryDelay) {
        this.client = client;
        this.nodeName = nodeName;
        this.health = health;
        this.retryDelay = retryDelay;
        this.task = scheduler.loop("k8s-cninode", Duration.ZERO, this::reconcile);
    }

    @Override
    public void advertise(String feature, String value) {
        synchronized (wanted) {
            wanted.put(feature, value == null ? "" : value);
        }
        task.wake();
    }

    private Next reconcile() {
        Map<String, String> features;
        synchronized (wanted) {
            features = new LinkedHashMap<>(wanted);
        }
        if (features.isEmpty()) {
            return Next.whenWoken();
        }
        try {
            for (var attempt = 1; attempt <= CONFLICT_ATTEMPTS; attempt++) {
                if (applyOnce(features)) {
                    health.answered("writing CNINode " + nodeName);
                    failuresInRow = 0;
                    return Next.whenWoken();
                }
                log.debug("CNINode {} changed while its features were merged (attempt {}); merging again", nodeName, attempt);
            }
            throw new IllegalStateException("another writer changed it " + CONFLICT_ATTEMPTS + " times in a row");
        } catch (RuntimeException e) {
            health.failed("writing CNINode " + nodeName, e);
            var delay = retryDelay.after(++failuresInRow);
            log.warn("CNINode {}: features {} not written yet, retrying in {} ms: {}", nodeName, features,
                    delay.toMillis(), ApiServerHealth.describe(e));
            return Next.notBefore(delay);
        }
    }

    /** One read-merge-write. @return false when another writer got in between (409): merge again */
    private boolean applyOnce(Map<String, String> features) {
        var resource = client.genericKubernetesResources(CNI_NODE).withName(nodeName);
        var current = resource.get();
        try {
            if (current == null) {
                client.genericKubernetesResources(CNI_NODE).resource(newCniNode(features)).create();
                log.info("CNINode {} created with features {}", nodeName, features);
                return true;
            }
            var existing = features(current);
            var merged = merge(existing, features);
            if (merged.equals(existing)) {
                return true;
            }
            spec(current).put("features", merged);
            client.genericKubernetesResources(CNI_NODE).resource(current).update();
            log.info("CNINode {}: features now {}", nodeName, merged);
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return false;
            }
            throw e;
        }
    }

    private GenericKubernetesResource newCniNode(Map<String, String> features) {
        var builder = new GenericKubernetesResourceBuilder()
                .withApiVersion(CNI_NODE.getGroup() + "/" + CNI_NODE.getVersion()).withKind(CNI_NODE.getKind())
                .withNewMetadata().withName(nodeName).endMetadata()
                .addToAdditionalProperties("spec", new HashMap<>(Map.of("features", merge(List.of(), features))));
        var node = client.nodes().withName(nodeName).get();
        if (node != null) {
            // No blockOwnerDeletion: setting it needs update on nodes/finalizers, which the daemon is not granted.
            builder.editMetadata().addToOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node")
                    .withName(nodeName).withUid(node.getMetadata().getUid()).build()).endMetadata();
        } else {
            log.warn("Node {} is not in the API server; CNINode {} is created without an owner", nodeName, nodeName);
        }
        return builder.build();
    }

    /** {@code existing} with each wanted feature updated in place or appended; others kept as they are. */
    static List<Map<String, Object>> merge(List<Map<String, Object>> existing, Map<String, String> wanted) {
        var merged = new ArrayList<Map<String, Object>>();
        var left = new LinkedHashMap<>(wanted);
        for (var feature : existing) {
            var name = feature.get("name");
            if (name instanceof String n && left.containsKey(n)) {
                merged.add(entry(n, left.remove(n)));
            } else {
                merged.add(feature);
            }
        }
        left.forEach((name, value) -> merged.add(entry(name, value)));
        return merged;
    }

    /** One {@code {name, value}}; an empty value is left out, as the controller's own objects do. */
    private static Map<String, Object> entry(String name, String value) {
        var feature = new LinkedHashMap<String, Object>();
        feature.put("name", name);
        if (!value.isEmpty()) {
            feature.put("value", value);
        }
        return feature;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> features(GenericKubernetesResource cniNode) {
        Object features = cniNode.get("spec", "features");
        if (!(features instanceof List<?> list)) {
            return List.of();
        }
        return list.stream().filter(Map.class::isInstance).map(f -> (Map<String, Object>) f)
                .map(f -> Objects.equals(f.get("value"), "") ? withoutValue(f) : f).toList();
    }

    private static Map<String, Object> withoutValue(Map<String, Object> feature) {
        var copy = new LinkedHashMap<>(feature);
        copy.remove("value");
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource cniNode) {
        var props = cniNode.getAdditionalProperties();
        var spec = props.get("spec");
        if (!(spec instanceof Map<?, ?>)) {
            spec = new LinkedHashMap<String, Object>();
            props.put("spec", spec);
        }
        return (Map<String, Object>) spec;
    }

    @Override
    public void close() {
        task.cancel();
    }
}
