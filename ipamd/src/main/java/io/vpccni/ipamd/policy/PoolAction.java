package io.vpccni.ipamd.policy;

import java.util.List;

/**
 * The one step the pool should take next. Every action carries a short reason for the log line that records it.
 * Counts are /32 addresses unless {@code prefixes} is true, then /28 prefixes.
 */
public sealed interface PoolAction {
    String reason();

    /** Leave the pool as it is. */
    record Nothing(String reason) implements PoolAction {
        public Nothing {
            requireReason(reason);
        }
    }

    /** Create and attach a new ENI holding {@code count} secondary addresses or prefixes. */
    record AllocateEni(int count, boolean prefixes, String reason) implements PoolAction {
        public AllocateEni {
            requirePositive(count, "AllocateEni");
            requireReason(reason);
        }
    }

    /** Add {@code count} secondary addresses or prefixes to an ENI that has room. */
    record AssignToEni(String eniId, int count, boolean prefixes, String reason) implements PoolAction {
        public AssignToEni {
            requireEni(eniId);
            requirePositive(count, "AssignToEni " + eniId);
            requireReason(reason);
        }
    }

    /**
     * Give back to EC2 fully unused secondary addresses or prefixes (no pod, no cooldown), {@code count} of them
     * from each listed ENI, in the order listed.
     */
    record ReleaseCidrs(List<Release> releases, boolean prefixes, String reason) implements PoolAction {
        public ReleaseCidrs {
            releases = List.copyOf(releases);
            if (releases.isEmpty()) {
                throw new IllegalArgumentException("ReleaseCidrs needs at least one ENI to release from");
            }
            requireReason(reason);
        }

        /** How many addresses or prefixes the action releases in all. */
        public int total() {
            return releases.stream().mapToInt(Release::count).sum();
        }

        public record Release(String eniId, int count) {
            public Release {
                requireEni(eniId);
                requirePositive(count, "release from " + eniId);
            }
        }
    }

    /** Detach and delete an ENI no pod uses and no target needs. */
    record DeleteEni(String eniId, String reason) implements PoolAction {
        public DeleteEni {
            requireEni(eniId);
            requireReason(reason);
        }
    }

    private static void requireReason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a pool action needs a reason");
        }
    }

    private static void requireEni(String eniId) {
        if (eniId == null || eniId.isBlank()) {
            throw new IllegalArgumentException("a pool action on an ENI needs its id");
        }
    }

    private static void requirePositive(int count, String what) {
        if (count < 1) {
            throw new IllegalArgumentException(what + ": count=" + count + " must be at least 1");
        }
    }
}
