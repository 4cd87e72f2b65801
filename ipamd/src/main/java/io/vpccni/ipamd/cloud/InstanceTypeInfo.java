package io.vpccni.ipamd.cloud;

import java.util.Map;

/**
 * The network limits of an instance type.
 *
 * @param maxEnis              ENIs the whole instance can hold
 * @param ipv4PerEni           IPv4 addresses per ENI, primary included
 * @param maxEnisPerCard       ENIs per network card index; a single card 0 on most types
 * @param defaultNetworkCard   the card the primary ENI is on
 * @param hypervisor           {@code nitro}, {@code xen}, or empty for bare metal
 * @param bareMetal            whether the type is a metal type
 */
public record InstanceTypeInfo(String instanceType, int maxEnis, int ipv4PerEni, Map<Integer, Integer> maxEnisPerCard,
                               int defaultNetworkCard, String hypervisor, boolean bareMetal) {
    public InstanceTypeInfo {
        maxEnisPerCard = Map.copyOf(maxEnisPerCard);
    }

    /** Nitro types (and metal) support /28 prefix delegation; Xen types do not. */
    public boolean supportsPrefixDelegation() {
        return "nitro".equals(hypervisor) || bareMetal;
    }
}
