package io.vpccni.ipamd.checkpoint;

import java.util.List;

/** Every allocation on one NIC's datastore, in the order the owner chose; the unit that is saved and loaded. */
public record Checkpoint(List<CheckpointEntry> allocations) {
    /** The only format this build reads or writes; a file with any other version is refused, never guessed at. */
    public static final String VERSION = "vpc-cni-ipam/1";

    public static final Checkpoint EMPTY = new Checkpoint(List.of());

    public Checkpoint {
        allocations = List.copyOf(allocations);
    }
}
