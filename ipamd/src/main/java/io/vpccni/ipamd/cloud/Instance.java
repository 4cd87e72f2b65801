package io.vpccni.ipamd.cloud;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The parts of an EC2 instance the ENI lifecycle needs: its type, primary subnet, and which device index on
 * which network card each attached ENI holds.
 */
public record Instance(String instanceId, String instanceType, String subnetId, String vpcId,
                       List<AttachedEni> enis) {

    /** An ENI attached to this instance, at a device index on a network card, and what EC2 says it is for. */
    public record AttachedEni(String eniId, String attachmentId, int deviceIndex, int networkCard, InterfaceType interfaceType) {}

    public Instance {
        enis = List.copyOf(enis);
    }

    /** The device indexes already taken on {@code networkCard}. */
    public Set<Integer> usedDeviceIndexes(int networkCard) {
        return enis.stream()
                .filter(e -> e.networkCard() == networkCard)
                .map(AttachedEni::deviceIndex)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * The lowest device index on {@code networkCard} not yet taken, below {@code limit}; -1 when all are taken.
     * Upstream searches below 100; the instance type's ENI limit is the real bound.
     */
    public int freeDeviceIndex(int networkCard, int limit) {
        var used = usedDeviceIndexes(networkCard);
        for (int i = 0; i < limit; i++) {
            if (!used.contains(i)) {
                return i;
            }
        }
        return -1;
    }
}
