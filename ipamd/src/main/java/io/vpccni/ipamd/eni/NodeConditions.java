package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.k8s.NodeView;

/**
 * What the pool's growth depends on that the Node object says: the node's pod capacity (the pool never holds
 * more addresses) and whether it is cordoned (the pool neither grows nor deletes ENIs, as upstream, unless
 * {@code AWS_MANAGE_ENIS_NON_SCHEDULABLE=true}). Read on every pass, so a changed Node applies at once.
 */
public interface NodeConditions {
    int maxPods();

    /** Whether the pool must hold still: the node is cordoned and the operator did not ask to manage it anyway. */
    boolean holdPool();

    /** Where the daemon has no API server: the instance type's max pods, never cordoned. */
    static NodeConditions fixed(int maxPods) {
        return of(NodeView.NONE, maxPods, false);
    }

    /**
     * @param fallbackMaxPods         from the instance table (or the formula) while the Node says nothing
     * @param manageWhenUnschedulable {@code AWS_MANAGE_ENIS_NON_SCHEDULABLE}
     */
    static NodeConditions of(NodeView node, int fallbackMaxPods, boolean manageWhenUnschedulable) {
        return new NodeConditions() {
            @Override
            public int maxPods() {
                return node.current().flatMap(n -> n.capacityPods().isPresent()
                        ? java.util.Optional.of(n.capacityPods().getAsInt()) : java.util.Optional.empty()).orElse(fallbackMaxPods);
            }

            @Override
            public boolean holdPool() {
                return !manageWhenUnschedulable && node.current().map(n -> n.unschedulableTaint()).orElse(false);
            }
        };
    }
}
