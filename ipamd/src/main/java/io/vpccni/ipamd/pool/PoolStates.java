package io.vpccni.ipamd.pool;

import io.vpccni.ipamd.policy.EniState;
import io.vpccni.ipamd.policy.PoolState;

import java.time.Instant;
import java.util.ArrayList;

/** The datastore as the warm-pool policy sees it. */
public final class PoolStates {
    private PoolStates() {
    }

    public static PoolState of(Datastore datastore, int maxPods, Instant now, Instant lastDecrease, boolean unschedulable) {
        var enis = new ArrayList<EniState>();
        for (var u : datastore.usage()) {
            var i = u.info();
            enis.add(new EniState(i.eniId(), i.deviceNumber(), i.primary(), i.trunk(), i.efa(), u.excluded(), i.createdAt(),
                    u.totalIps(), u.assignedIps(), u.coolingIps(), u.prefixes(), u.freePrefixes()));
        }
        return new PoolState(enis, maxPods, now, lastDecrease, unschedulable);
    }
}
