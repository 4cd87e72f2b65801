package io.vpccni.ipamd.checkpoint;

import static io.vpccni.ipamd.checkpoint.FakeOwner.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitterTest {
    private static final long WAIT_SECONDS = 30;

    @TempDir
    Path tmp;

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    /**
     * Wraps a store and records, for each save, the version of the snapshot being saved. The supplier and the
     * save run on the writer's thread back to back, so a thread-local carries the version between them.
     */
    static final class RecordingStore implements CheckpointStore {
        final CheckpointStore delegate;
        final ThreadLocal<Long> snapshotVersion = new ThreadLocal<>();
        final AtomicLong maxSavedVersion = new AtomicLong(-1);
        final AtomicInteger concurrentSaves = new AtomicInteger();
        final AtomicInteger maxConcurrentSaves = new AtomicInteger();
        final AtomicInteger calls = new AtomicInteger();
        final AtomicLong lastFailedVersion = new AtomicLong(-1);

        RecordingStore(CheckpointStore delegate) {
            this.delegate = delegate;
        }

        VersionedSnapshot snapshotOf(FakeOwner owner) {
            var s = owner.snapshot();
            snapshotVersion.set(s.version());
            return s;
        }

        @Override
        public java.util.Optional<Checkpoint> load() throws CheckpointException {
            return delegate.load();
        }

        @Override
        public void save(Checkpoint checkpoint) throws CheckpointException {
            calls.incrementAndGet();
            maxConcurrentSaves.accumulateAndGet(concurrentSaves.incrementAndGet(), Math::max);
            try {
                delegate.save(checkpoint);
                maxSavedVersion.accumulateAndGet(snapshotVersion.get(), Math::max);
            } catch (CheckpointException e) {
                lastFailedVersion.set(snapshotVersion.get());
                throw e;
            } finally {
                concurrentSaves.decrementAndGet();
            }
        }
    }

    @Test
    void manyThreadsReturnOnlyAfterTheirChangeIsDurable() throws Exception {
        int threads = 32;
        int changesEach = 200;
        var owner = new FakeOwner();
        var file = new FileCheckpointStore(tmp.resolve("ipam.json"));
        var store = new RecordingStore(file);
        var committer = new GroupCommitter(store, () -> store.snapshotOf(owner));
        var violations = new ConcurrentLinkedQueue<String>();
        var start = new CountDownLatch(1);

        var futures = new ArrayList<Future<?>>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < changesEach; i++) {
                    long v = owner.put(entry("c-" + thread + "-" + i, "10." + thread + "." + i / 256 + "." + i % 256));
                    committer.awaitDurable(v);
                    long durable = store.maxSavedVersion.get();
                    if (durable < v) {
                        violations.add("version " + v + " returned while only " + durable + " was saved");
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (var f : futures) {
            f.get(120, TimeUnit.SECONDS);
        }

        int changes = threads * changesEach;
        assertEquals(List.of(), List.copyOf(violations));
        assertEquals(1, store.maxConcurrentSaves.get(), "one save in flight at a time");
        assertEquals(changes, committer.durableVersion());
        assertEquals(store.calls.get(), committer.saves());
        assertEquals(0, committer.failedSaves());
        assertTrue(committer.saves() < changes, "grouped: " + committer.saves() + " saves for " + changes + " changes");
        var onDisk = new FileCheckpointStore(tmp.resolve("ipam.json")).load().orElseThrow();
        assertEquals(owner.snapshot().checkpoint(), onDisk);
        assertEquals(changes, onDisk.allocations().size());
    }

    /** A store whose saves can be held at a gate and made to fail, by their 1-based number. */
    static final class GatedStore implements CheckpointStore {
        final InMemoryCheckpointStore delegate = new InMemoryCheckpointStore();
        final Map<Integer, CountDownLatch> entered = new ConcurrentHashMap<>();
        final Map<Integer, CountDownLatch> gates = new ConcurrentHashMap<>();
        final Set<Integer> failing = ConcurrentHashMap.newKeySet();
        final AtomicInteger calls = new AtomicInteger();

        CountDownLatch entered(int save) {
            return entered.computeIfAbsent(save, n -> new CountDownLatch(1));
        }

        CountDownLatch gate(int save) {
            return gates.computeIfAbsent(save, n -> new CountDownLatch(1));
        }

        @Override
        public java.util.Optional<Checkpoint> load() throws CheckpointException {
            return delegate.load();
        }

        @Override
        public void save(Checkpoint checkpoint) throws CheckpointException {
            int n = calls.incrementAndGet();
            entered(n).countDown();
            var gate = gates.get(n);
            if (gate != null) {
                try {
                    if (!gate.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                        throw new AssertionError("save " + n + " was never released");
                    }
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            if (failing.contains(n)) {
                throw new CheckpointException("Could not save checkpoint: injected failure of save " + n);
            }
            delegate.save(checkpoint);
        }
    }

    @Test
    void failedSaveFailsExactlyTheCallersItCovered() throws Exception {
        var owner = new FakeOwner();
        var store = new GatedStore();
        var committer = new GroupCommitter(store, owner::snapshot);
        store.gate(1);
        store.failing.add(2);

        var a = commitAsync(committer, owner.put(entry("a", "10.0.0.1")));
        await(store.entered(1));
        var b = commitAsync(committer, owner.put(entry("b", "10.0.0.2")));
        var c = commitAsync(committer, owner.put(entry("c", "10.0.0.3")));
        var d = commitAsync(committer, owner.put(entry("d", "10.0.0.4")));
        awaitCondition(() -> committer.waitingCallers() == 3);
        long late = owner.put(entry("x", "10.0.0.9")); // in the next snapshot, but its caller is slow to ask
        store.gate(1).countDown();

        a.get(WAIT_SECONDS, TimeUnit.SECONDS);
        var lateCaller = commitAsync(committer, late);
        for (var failed : List.of(b, c, d, lateCaller)) {
            var e = assertThrows(ExecutionException.class, () -> failed.get(WAIT_SECONDS, TimeUnit.SECONDS));
            var cause = assertInstanceOf(CheckpointException.class, e.getCause());
            assertTrue(cause.getMessage().contains("injected failure of save 2"), cause.getMessage());
        }
        assertEquals(2, store.calls.get(), "b, c, d and x were one group");
        assertEquals(1, committer.saves());
        assertEquals(1, committer.failedSaves());
        assertEquals(1, committer.durableVersion());

        // Each failed caller undoes its change; a later change then commits normally, undos included.
        for (var id : List.of("b", "c", "d", "x")) {
            owner.remove(id);
        }
        long e = owner.put(entry("e", "10.0.0.5"));
        committer.awaitDurable(e);
        assertEquals(3, store.calls.get());
        assertEquals(List.of("a", "e"), savedContainerIds(store));
    }

    @Test
    void callerNewerThanAFailedSnapshotStartsTheNextSave() throws Exception {
        var owner = new FakeOwner();
        var store = new GatedStore();
        var committer = new GroupCommitter(store, owner::snapshot);
        store.gate(1);
        store.gate(2);
        store.failing.add(2);

        var a = commitAsync(committer, owner.put(entry("a", "10.0.0.1")));
        await(store.entered(1));
        var b = commitAsync(committer, owner.put(entry("b", "10.0.0.2")));
        awaitCondition(() -> committer.waitingCallers() == 1);
        store.gate(1).countDown();
        a.get(WAIT_SECONDS, TimeUnit.SECONDS);
        await(store.entered(2)); // b is now the writer of version 2
        var c = commitAsync(committer, owner.put(entry("c", "10.0.0.3")));
        awaitCondition(() -> committer.waitingCallers() == 1);
        store.gate(2).countDown();

        var failure = assertThrows(ExecutionException.class, () -> b.get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertInstanceOf(CheckpointException.class, failure.getCause());
        c.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(3, store.calls.get());
        assertEquals(3, committer.durableVersion());
        assertEquals(List.of("a", "b", "c"), savedContainerIds(store), "b has not undone its change yet");
    }

    @Test
    void durableVersionReturnsWithoutSaving() throws Exception {
        var owner = new FakeOwner();
        var store = new InMemoryCheckpointStore();
        var committer = new GroupCommitter(store, owner::snapshot);
        long v1 = owner.put(entry("a", "10.0.0.1"));
        long v2 = owner.put(entry("b", "10.0.0.2"));

        committer.awaitDurable(v2);
        committer.awaitDurable(v1);
        committer.awaitDurable(v2);

        assertEquals(1, store.saveCount());
        assertEquals(1, committer.saves());
    }

    @Test
    void initialStateCanBeMadeDurable() throws Exception {
        var owner = new FakeOwner();
        var store = new InMemoryCheckpointStore();
        var committer = new GroupCommitter(store, owner::snapshot);
        committer.awaitDurable(0);
        assertEquals(java.util.Optional.of(Checkpoint.EMPTY), store.saved());
    }

    @Test
    void versionTheOwnerNeverReachedIsABug() throws Exception {
        var owner = new FakeOwner();
        var committer = new GroupCommitter(new InMemoryCheckpointStore(), owner::snapshot);
        owner.put(entry("a", "10.0.0.1"));
        var e = assertThrows(IllegalStateException.class, () -> committer.awaitDurable(7));
        assertTrue(e.getMessage().contains("version 7") && e.getMessage().contains("version 1"), e.getMessage());
        assertEquals(1, committer.durableVersion(), "what was saved still counts");
        assertThrows(IllegalArgumentException.class, () -> committer.awaitDurable(-1));
    }

    @Test
    void snapshotFailureFailsOnlyTheWriter() throws Exception {
        var owner = new FakeOwner();
        var store = new InMemoryCheckpointStore();
        var broken = new boolean[] {true};
        var committer = new GroupCommitter(store, () -> {
            if (broken[0]) {
                broken[0] = false;
                throw new IllegalStateException("owner is closed");
            }
            return owner.snapshot();
        });
        long v = owner.put(entry("a", "10.0.0.1"));
        assertThrows(IllegalStateException.class, () -> committer.awaitDurable(v));
        assertEquals(0, committer.failedSaves(), "nothing was attempted");
        committer.awaitDurable(v);
        assertEquals(1, committer.saves());
    }

    @Test
    void unexpectedStoreErrorFailsTheGroupAsACheckpointFailure() {
        var owner = new FakeOwner();
        CheckpointStore store = new CheckpointStore() {
            @Override
            public java.util.Optional<Checkpoint> load() {
                return java.util.Optional.empty();
            }

            @Override
            public void save(Checkpoint checkpoint) {
                throw new NullPointerException("bug in store");
            }
        };
        var committer = new GroupCommitter(store, owner::snapshot);
        var e = assertThrows(CheckpointException.class, () -> committer.awaitDurable(owner.put(entry("a", "10.0.0.1"))));
        assertInstanceOf(NullPointerException.class, e.getCause());
        assertEquals(1, committer.failedSaves());
    }

    @Test
    void underRandomFailuresEverySuccessIsDurableAndEveryFailureWasCovered() throws Exception {
        int threads = 16;
        int changesEach = 200;
        var owner = new FakeOwner();
        var inner = new InMemoryCheckpointStore();
        var store = new RecordingStore(new CheckpointStore() {
            final AtomicInteger n = new AtomicInteger();

            @Override
            public java.util.Optional<Checkpoint> load() throws CheckpointException {
                return inner.load();
            }

            @Override
            public void save(Checkpoint checkpoint) throws CheckpointException {
                if (n.incrementAndGet() % 5 == 0) {
                    throw new CheckpointException("injected");
                }
                inner.save(checkpoint);
            }
        });
        var committer = new GroupCommitter(store, () -> store.snapshotOf(owner));
        var violations = new ConcurrentLinkedQueue<String>();
        var kept = ConcurrentHashMap.<String>newKeySet();
        var failures = new AtomicInteger();
        var start = new CountDownLatch(1);
        var futures = new ArrayList<Future<?>>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < changesEach; i++) {
                    var id = "c-" + thread + "-" + i;
                    long v = owner.put(entry(id, "10." + thread + "." + i / 256 + "." + i % 256));
                    try {
                        committer.awaitDurable(v);
                        kept.add(id);
                        if (store.maxSavedVersion.get() < v) {
                            violations.add("version " + v + " returned before it was saved");
                        }
                    } catch (CheckpointException e) {
                        failures.incrementAndGet();
                        long failedAt = store.lastFailedVersion.get();
                        if (failedAt < v) {
                            violations.add("version " + v + " failed, but the last failed save was of " + failedAt);
                        }
                        owner.remove(id); // the undo is itself a change, made durable by a later save
                    }
                }
                return null;
            }));
        }
        start.countDown();
        for (var f : futures) {
            f.get(120, TimeUnit.SECONDS);
        }
        while (true) {
            try {
                committer.awaitDurable(owner.snapshot().version());
                break;
            } catch (CheckpointException injected) {
                // the next attempt is a new save
            }
        }

        assertEquals(List.of(), List.copyOf(violations));
        assertTrue(failures.get() > 0 && committer.failedSaves() > 0, "some saves failed");
        assertEquals(threads * changesEach, kept.size() + failures.get());
        var saved = inner.saved().orElseThrow().allocations().stream().map(CheckpointEntry::containerId);
        assertEquals(kept, saved.collect(Collectors.toSet()), "on disk: exactly the changes that were kept");
    }

    private Future<Void> commitAsync(GroupCommitter committer, long version) {
        return pool.submit(() -> {
            committer.awaitDurable(version);
            return null;
        });
    }

    private static void await(CountDownLatch latch) throws InterruptedException {
        assertTrue(latch.await(WAIT_SECONDS, TimeUnit.SECONDS), "timed out");
    }

    // Waits for a state change in another thread, not for time to pass.
    private static void awaitCondition(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("condition not reached in " + WAIT_SECONDS + " s");
            }
            Thread.onSpinWait();
        }
    }

    private static List<String> savedContainerIds(GatedStore store) {
        return store.delegate.saved().orElseThrow().allocations().stream()
                .map(CheckpointEntry::containerId).collect(Collectors.toList());
    }
}
