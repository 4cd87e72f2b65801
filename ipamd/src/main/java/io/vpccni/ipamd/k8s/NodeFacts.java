package io.vpccni.ipamd.k8s;

import java.util.Map;
import java.util.OptionalInt;

/**
 * This node as the API server describes it: what the pool's upper bound, its growth on a cordoned node and the
 * choice of ENIConfig are decided from.
 *
 * @param capacityPods       {@code status.capacity.pods}; empty when the Node does not say (or says nonsense)
 * @param unschedulableTaint whether the Node carries the taint {@code node.kubernetes.io/unschedulable} (a cordon)
 */
public record NodeFacts(String name, OptionalInt capacityPods, boolean unschedulableTaint, Map<String, String> labels,
                        Map<String, String> annotations) {
    public NodeFacts {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }
}
