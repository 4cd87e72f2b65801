package io.vpccni.ipamd.policy;

import java.time.Instant;

/**
 * One ENI as the datastore sees it at one instant.
 *
 * @param totalIps     pod addresses the ENI holds: secondary /32s, or in prefix mode prefixes × 16
 * @param assignedIps  of those, assigned to pods
 * @param coolingIps   of those, released by a pod less than IP_COOLDOWN_PERIOD ago (not assigned, not reusable yet)
 * @param prefixes     /28 prefixes on the ENI (0 in secondary-IP mode)
 * @param freePrefixes prefixes with no assigned and no cooling address
 * @param excluded     the ENI may not give addresses to new pods (e.g. its subnet is excluded from pod use)
 * @param efa          an EFA interface, which ipamd never deletes
 */
public record EniState(
        String eniId,
        int deviceNumber,
        boolean primary,
        boolean trunk,
        boolean efa,
        boolean excluded,
        Instant createdAt,
        int totalIps,
        int assignedIps,
        int coolingIps,
        int prefixes,
        int freePrefixes) {

    public EniState {
        if (eniId == null || eniId.isBlank()) {
            throw new IllegalArgumentException("ENI id must not be blank");
        }
        if (createdAt == null) {
            throw new IllegalArgumentException(eniId + ": createdAt must be given");
        }
        if (deviceNumber < 0 || totalIps < 0 || assignedIps < 0 || coolingIps < 0 || prefixes < 0 || freePrefixes < 0) {
            throw new IllegalArgumentException(eniId + ": counts and device number must not be negative: " + counts(
                    deviceNumber, totalIps, assignedIps, coolingIps, prefixes, freePrefixes));
        }
        if (assignedIps + coolingIps > totalIps || freePrefixes > prefixes) {
            throw new IllegalArgumentException(eniId + ": assigned + cooling must fit in total and free prefixes in prefixes: "
                    + counts(deviceNumber, totalIps, assignedIps, coolingIps, prefixes, freePrefixes));
        }
    }

    /** Unassigned addresses: what a new pod could be given now or once its cooldown ends. */
    public int unassignedIps() {
        return totalIps - assignedIps;
    }

    /** Secondary /32s no pod holds and none has held within the cooldown: the ones safe to give back to EC2. */
    public int unusedIps() {
        return totalIps - assignedIps - coolingIps;
    }

    private static String counts(int device, int total, int assigned, int cooling, int prefixes, int free) {
        return "device " + device + ", total " + total + ", assigned " + assigned + ", cooling " + cooling
                + ", prefixes " + prefixes + ", free prefixes " + free;
    }
}
