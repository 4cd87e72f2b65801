package io.vpccni.ipamd.checkpoint;

import java.util.Optional;

/** Where the allocations survive a restart of ipamd. The one edge between the datastore and the disk. */
public interface CheckpointStore {
    /**
     * Reads the last saved checkpoint.
     *
     * @return empty when none was ever saved: a fresh node
     * @throws CheckpointException when one exists but cannot be trusted; the caller must not hand out addresses
     */
    Optional<Checkpoint> load() throws CheckpointException;

    /**
     * Replaces the saved checkpoint. When this returns, the new one survives a crash of the process and of the
     * machine; when it throws, the caller must assume the previous one is still what a restart would see.
     */
    void save(Checkpoint checkpoint) throws CheckpointException;
}
