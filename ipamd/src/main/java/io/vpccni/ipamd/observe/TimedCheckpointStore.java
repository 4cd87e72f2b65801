package io.vpccni.ipamd.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vpccni.ipamd.checkpoint.Checkpoint;
import io.vpccni.ipamd.checkpoint.CheckpointException;
import io.vpccni.ipamd.checkpoint.CheckpointStore;

import java.time.Duration;
import java.util.Optional;

/**
 * Times every checkpoint write: ADD and DEL answer only once theirs is durable, so its latency is part of every pod's,
 * and a slow disk shows here first ({@code awscni_checkpoint_write_seconds}, failures in
 * {@code awscni_checkpoint_write_failures_total}).
 */
public final class TimedCheckpointStore implements CheckpointStore {
    /** From an fsync on a fast local disk to one that stalls the node. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofSeconds(1)};

    private final CheckpointStore store;
    private final Timer writes;
    private final Counter failures;

    public TimedCheckpointStore(CheckpointStore store, MeterRegistry registry) {
        this.store = store;
        this.writes = Timer.builder("awscni_checkpoint_write").serviceLevelObjectives(BUCKETS)
                .description("durable writes of the checkpoint (temp file, fsync, rename, fsync of the directory)").register(registry);
        this.failures = Counter.builder("awscni_checkpoint_write_failures")
                .description("checkpoint writes that failed (the change they carried was undone)").register(registry);
    }

    @Override
    public Optional<Checkpoint> load() throws CheckpointException {
        return store.load();
    }

    @Override
    public void save(Checkpoint checkpoint) throws CheckpointException {
        var started = System.nanoTime();
        try {
            store.save(checkpoint);
        } catch (CheckpointException | RuntimeException e) {
            failures.increment();
            throw e;
        } finally {
            writes.record(Duration.ofNanos(System.nanoTime() - started));
        }
    }
}
