package io.vpccni.ipamd.policy;

import java.util.List;

/**
 * The pool's totals over the ENIs that can serve pods. Excluded ENIs are left out, as upstream's datastore
 * statistics leave them out: their free addresses cannot be given to a pod, so they must not satisfy a target.
 *
 * @param availableIps unassigned addresses, cooling ones included (upstream counts them: they are reusable soon)
 */
record PoolStats(int totalIps, int assignedIps, int coolingIps, int totalPrefixes, int freePrefixes) {

    static PoolStats of(List<EniState> enis) {
        int total = 0;
        int assigned = 0;
        int cooling = 0;
        int prefixes = 0;
        int free = 0;
        for (var eni : enis) {
            if (eni.excluded()) {
                continue;
            }
            total += eni.totalIps();
            assigned += eni.assignedIps();
            cooling += eni.coolingIps();
            prefixes += eni.prefixes();
            free += eni.freePrefixes();
        }
        return new PoolStats(total, assigned, cooling, prefixes, free);
    }

    int availableIps() {
        return totalIps - assignedIps;
    }

    @Override
    public String toString() {
        return "total " + totalIps + ", assigned " + assignedIps + ", available " + availableIps()
                + (coolingIps > 0 ? " (" + coolingIps + " cooling)" : "")
                + (totalPrefixes > 0 ? ", prefixes " + totalPrefixes + " (" + freePrefixes + " free)" : "");
    }
}
