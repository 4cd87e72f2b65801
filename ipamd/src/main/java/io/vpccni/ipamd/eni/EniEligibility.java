package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.cloud.EniTags;
import io.vpccni.ipamd.cloud.InterfaceType;

import java.util.Map;
import java.util.Optional;

/**
 * Whether an attached ENI may carry pod addresses, from EC2's facts alone: its interface type, its tags and its
 * network card. Those that may not are left alone: never given addresses, never deleted, but still counted
 * against the instance's ENI limit.
 */
final class EniEligibility {
    private EniEligibility() {
    }

    /** Why the pool must not use the ENI; empty when it may. */
    static Optional<String> whyNotForPods(InterfaceType type, Map<String, String> tags, int networkCard) {
        if (networkCard != 0) {
            // Multi-NIC (upstream's ENABLE_MULTI_NIC) is not supported: a card > 0 ENI needs a datastore of its own.
            return Optional.of("it is on network card " + networkCard + "; only network card 0 is used until multi-NIC is supported");
        }
        var byType = switch (type) {
            case INTERFACE -> null;
            case TRUNK -> "it is a trunk ENI: it carries the branch ENIs of security groups for pods";
            case BRANCH -> "it is a branch ENI of security groups for pods";
            case EFA -> "it is an EFA ENI: its traffic belongs to the EFA application";
            case EFA_ONLY -> "it is an EFA-only ENI: it has no IP address";
            case OTHER -> "its interface type is not one pods can use";
        };
        if (byType != null) {
            return Optional.of(byType);
        }
        if ("true".equalsIgnoreCase(tags.get(EniTags.NO_MANAGE))) {
            return Optional.of("it is tagged " + EniTags.NO_MANAGE + "=true");
        }
        return Optional.empty();
    }

    /**
     * {@code MANAGE_UNTAGGED_ENI=false}: a secondary ENI this daemon did not create (no {@code instance_id} tag naming
     * this instance) belongs to another tool and is left alone, unless explicitly tagged {@code no_manage} with a
     * value other than true. The primary ENI is always the node's.
     */
    static Optional<String> whyForeign(Map<String, String> tags, String instanceId) {
        if (tags.containsKey(EniTags.NO_MANAGE) || instanceId.equals(tags.get(EniTags.INSTANCE_ID))) {
            return Optional.empty();
        }
        return Optional.of("it was not created for this instance (no " + EniTags.INSTANCE_ID + "=" + instanceId
                + " tag) and MANAGE_UNTAGGED_ENI=false");
    }
}
