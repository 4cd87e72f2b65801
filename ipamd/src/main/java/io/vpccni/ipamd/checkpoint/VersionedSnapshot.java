package io.vpccni.ipamd.checkpoint;

import java.util.Objects;

/**
 * The owner's in-memory allocations and the version they reflect: saving {@code checkpoint} makes every change
 * numbered {@code <= version} durable. The two must be read together, under the owner's lock.
 */
public record VersionedSnapshot(long version, Checkpoint checkpoint) {
    public VersionedSnapshot {
        if (version < 0) {
            throw new IllegalArgumentException("snapshot version " + version + " is negative");
        }
        Objects.requireNonNull(checkpoint, "checkpoint");
    }
}
