package io.vpccni.ipamd.k8s;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * The object the daemon's Events are about: its own aws-node pod, where {@code kubectl describe pod} shows them
 * next to the restarts, or the Node when the pod's name is not known (the chart always sets it; a hand-written
 * DaemonSet may not).
 *
 * @param namespace the pod's namespace; empty for the Node
 */
record EventSubject(String kind, Optional<String> namespace, String name) {
    private static final Logger log = LoggerFactory.getLogger(EventSubject.class);

    /** The pod when both names are known, else the Node, else none: events are then only logged. */
    static Optional<EventSubject> of(KubeSettings settings) {
        if (settings.podName().isPresent()) {
            return Optional.of(new EventSubject("Pod", Optional.of(settings.podNamespace()), settings.podName().get()));
        }
        return settings.nodeName().map(node -> new EventSubject("Node", Optional.empty(), node));
    }

    /** Where the Event object lives: the pod's namespace; "default" for a Node, as kubelet posts node events. */
    String eventNamespace() {
        return namespace.orElse("default");
    }

    /**
     * The object's uid, so that the Event is not shown on a later object of the same name: "" when the API server
     * says there is no such object (the reference then goes without one), null when it did not answer (ask again).
     */
    String lookUpUid(KubernetesClient client) {
        try {
            var object = namespace.isPresent()
                    ? client.pods().inNamespace(namespace.get()).withName(name).get()
                    : client.nodes().withName(name).get();
            if (object == null) {
                log.info("{} is not in the API server; its Events go without a uid", this);
                return "";
            }
            return object.getMetadata().getUid() == null ? "" : object.getMetadata().getUid();
        } catch (RuntimeException e) {
            log.debug("the uid of {} is unknown for now: {}", this, ApiServerHealth.describe(e));
            return null;
        }
    }

    ObjectReference reference(String uid) {
        return new ObjectReferenceBuilder().withApiVersion("v1").withKind(kind).withName(name)
                .withNamespace(namespace.orElse(null)).withUid(uid == null || uid.isEmpty() ? null : uid).build();
    }

    @Override
    public String toString() {
        return kind.equals("Pod") ? "pod " + namespace.orElseThrow() + "/" + name : "Node " + name;
    }
}
