package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.cloud.Instance;
import io.vpccni.ipamd.pool.Datastore.UnpooledEni;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Where a new ENI can attach, judged from what EC2 says is attached to the instance: every attached ENI holds a
 * slot and a device index, the pool's or not (another controller's, a trunk, one tagged no_manage). Deciding this
 * before creating an ENI is what keeps a full node from creating and deleting one on every pass.
 */
final class AttachmentSlots {
    private AttachmentSlots() {
    }

    /**
     * @param device    the device index on network card 0 to attach at; empty when there is none
     * @param why       why there is none (empty when there is)
     * @param unpooled  every attached ENI outside the pool, with the reasons already known kept
     * @param newlySeen those of them not known before
     */
    record Verdict(OptionalInt device, String why, List<UnpooledEni> unpooled, List<UnpooledEni> newlySeen) {
    }

    static Verdict judge(Instance instance, Set<String> pooled, List<UnpooledEni> known, int maxEnis) {
        var knownById = new HashMap<String, UnpooledEni>();
        known.forEach(u -> knownById.put(u.eniId(), u));
        var unpooled = new ArrayList<UnpooledEni>();
        var newlySeen = new ArrayList<UnpooledEni>();
        for (var eni : instance.enis()) {
            if (pooled.contains(eni.eniId())) {
                continue;
            }
            var u = knownById.get(eni.eniId());
            if (u == null) {
                // DescribeInstances shows no tags; the type and the card are enough to say why it is not ours.
                var why = EniEligibility.whyNotForPods(eni.interfaceType(), Map.of(), eni.networkCard())
                        .orElse("it was attached by someone else while the daemon ran");
                u = new UnpooledEni(eni.eniId(), eni.networkCard(), eni.deviceIndex(), why);
                newlySeen.add(u);
            }
            unpooled.add(u);
        }
        var attached = instance.enis().size();
        if (attached >= maxEnis) {
            return new Verdict(OptionalInt.empty(), "all " + maxEnis + " ENI slots of " + instance.instanceType() + " are taken ("
                    + (attached - unpooled.size()) + " by the pool, " + unpooled.size() + " by ENIs outside it)", unpooled, newlySeen);
        }
        var device = instance.freeDeviceIndex(0, maxEnis);
        if (device < 0) {
            return new Verdict(OptionalInt.empty(), "no device index below " + maxEnis + " is free on network card 0",
                    unpooled, newlySeen);
        }
        return new Verdict(OptionalInt.of(device), "", unpooled, newlySeen);
    }
}
