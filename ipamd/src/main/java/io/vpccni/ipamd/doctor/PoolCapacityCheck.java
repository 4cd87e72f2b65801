package io.vpccni.ipamd.doctor;

import io.vpccni.ipamd.policy.InstanceLimits;
import io.vpccni.ipamd.policy.InstanceLimitsTable;
import io.vpccni.ipamd.policy.PoolLimits;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether the node can address as many pods as it admits: max pods against the addresses the pool has, or, if it may
 * grow, the most the instance type allows (all its ENIs, each full, in the pool's addressing mode). Two host-network
 * pods (aws-node, kube-proxy) need no pod address, as in upstream's eni-max-pods formula.
 */
final class PoolCapacityCheck {
    static final String ID = "pool-capacity";
    private static final int HOST_NETWORK_PODS = 2;

    private PoolCapacityCheck() {
    }

    static List<Finding> findings(PodsView.Pool pool, Optional<InstanceLimits> instance, DoctorSettings settings) {
        var have = pool.availableAddresses() + pool.assignedAddresses();
        var evidence = new ArrayList<String>(List.of("daemon: max pods " + pool.maxPods() + ", " + Plural.of(have, "address", "addresses") + " ("
                + pool.availableAddresses() + " free, " + pool.assignedAddresses() + " assigned)"));
        if (pool.maxPods() <= 0) {
            return List.of(Finding.ok(ID, "node", "not checked: the daemon does not know max pods yet", evidence));
        }
        if (have + HOST_NETWORK_PODS >= pool.maxPods()) {
            return List.of(Finding.ok(ID, "node", "the pool holds an address for every pod the node admits", evidence));
        }
        if (!settings.poolCanGrow()) {
            evidence.add(settings.imdsOnly() ? "ENABLE_IMDS_ONLY_MODE=true" : "DISABLE_NETWORK_RESOURCE_PROVISIONING=true");
            return List.of(Finding.warning(ID, "node", "the node admits " + pool.maxPods() + " pods but has " + have
                    + " pod addresses, and the pool may not grow: the pods beyond wait in ContainerCreating", evidence,
                    "Attach addresses or ENIs to the instance yourself, or lower max pods (kubelet --max-pods) to " + (have + HOST_NETWORK_PODS) + "."));
        }
        if (instance.isEmpty()) {
            return List.of(Finding.ok(ID, "node", "the pool grows on demand (the instance type's ceiling is unknown here)", evidence));
        }
        var limits = PoolLimits.of(settings.pool(), instance.get());
        var enis = settings.customNetworking() ? limits.maxEni() - 1 : limits.maxEni();
        var ceiling = Math.max(0, enis) * limits.maxIpsPerEni();
        evidence.add(instance.get().instanceType() + ": " + limits.maxEni() + " ENIs" + (settings.pool().maxEni().isPresent() ? " (MAX_ENI)" : "")
                + (settings.customNetworking() ? ", the primary unused (custom networking)" : "") + ", " + limits.maxIpsPerEni()
                + " pod addresses each" + (settings.pool().prefixDelegation() ? " (prefixes)" : "") + ": at most " + ceiling);
        if (ceiling + HOST_NETWORK_PODS >= pool.maxPods()) {
            return List.of(Finding.ok(ID, "node", "the pool grows on demand, up to " + ceiling + " pod addresses", evidence));
        }
        return List.of(Finding.warning(ID, "node", "the node admits " + pool.maxPods() + " pods but the instance can hold at most "
                        + ceiling + " pod addresses: the pods beyond wait in ContainerCreating", evidence,
                "Set kubelet's max pods to " + (ceiling + HOST_NETWORK_PODS) + " (the eni-max-pods value"
                        + (settings.pool().prefixDelegation() ? "" : ", or enable ENABLE_PREFIX_DELEGATION for more") + ")."));
    }

    static Optional<InstanceLimits> limits(String instanceType) {
        return instanceType.isEmpty() ? Optional.empty() : InstanceLimitsTable.find(instanceType);
    }
}
