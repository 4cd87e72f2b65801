package io.vpccni.ipamd.checkpoint;

import java.util.List;

/**
 * Every allocation on one NIC's datastore, in the order the owner chose; the unit that is saved and loaded.
 * {@code cooling} is our extension (a top-level "cooling" array, which upstream's reader ignores): addresses
 * released less than the cooldown ago, so a restarted daemon does not hand them to a new pod too early.
 */
public record Checkpoint(List<CheckpointEntry> allocations, List<Released> cooling) {
    /** The only format this build reads or writes; a file with any other version is refused, never guessed at. */
    public static final String VERSION = "vpc-cni-ipam/1";

    public static final Checkpoint EMPTY = new Checkpoint(List.of());

    /** An address released at {@code releasedAtNanos} (Unix epoch nanoseconds). */
    public record Released(String ipv4, long releasedAtNanos) {
        public Released {
            CheckpointEntry.ipv4("n", "c", "i", ipv4, 0, "", "", 1);  // same validation as an allocation's address
        }
    }

    public Checkpoint {
        allocations = List.copyOf(allocations);
        cooling = List.copyOf(cooling);
    }

    public Checkpoint(List<CheckpointEntry> allocations) {
        this(allocations, List.of());
    }
}
