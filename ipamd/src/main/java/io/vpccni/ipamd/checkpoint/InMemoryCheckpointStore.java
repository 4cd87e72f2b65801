package io.vpccni.ipamd.checkpoint;

import java.util.Optional;

/**
 * A {@link CheckpointStore} in memory, for unit tests of the code that uses one: it keeps the last checkpoint
 * saved, counts saves, and can be told to fail the next saves or every load.
 */
public final class InMemoryCheckpointStore implements CheckpointStore {
    private Checkpoint saved;
    private int failuresToInject;
    private String loadFailure;
    private long saves;

    /** A fresh node: nothing saved yet. */
    public InMemoryCheckpointStore() {
    }

    /** A node restarting with {@code existing} on disk. */
    public InMemoryCheckpointStore(Checkpoint existing) {
        this.saved = existing;
    }

    @Override
    public synchronized Optional<Checkpoint> load() throws CheckpointException {
        if (loadFailure != null) {
            throw new CheckpointException("Checkpoint (in memory) cannot be trusted: " + loadFailure);
        }
        return Optional.ofNullable(saved);
    }

    @Override
    public synchronized void save(Checkpoint checkpoint) throws CheckpointException {
        if (failuresToInject > 0) {
            failuresToInject--;
            throw new CheckpointException("Could not save checkpoint (in memory): injected failure."
                    + " The previous checkpoint is unchanged.");
        }
        saved = checkpoint;
        saves++;
    }

    /** Makes the next save throw and leave the saved checkpoint as it was. */
    public void failNextSave() {
        failNextSaves(1);
    }

    public synchronized void failNextSaves(int count) {
        failuresToInject = count;
    }

    /** Makes every load throw, as a corrupt file would; {@code why} ends up in the message. */
    public synchronized void failLoads(String why) {
        loadFailure = why;
    }

    /** What a restart would load now. */
    public synchronized Optional<Checkpoint> saved() {
        return Optional.ofNullable(saved);
    }

    /** Successful saves so far. */
    public synchronized long saveCount() {
        return saves;
    }
}
