package io.vpccni.ipamd.checkpoint;

import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Makes concurrent in-memory changes durable with as few checkpoint writes as possible (group commit).
 *
 * <p>The owner numbers its changes with a version that only grows. After a change it calls
 * {@link #awaitDurable(long)} with that change's version, without holding its own lock. One save is in flight
 * at a time; a caller whose version is not yet decided either waits for the save in flight, or, when none is,
 * becomes the writer: it takes the latest snapshot (which holds its own change and every change made while
 * the previous save ran), saves it, and wakes everyone.
 *
 * <p>Two numbers decide every caller: {@code durableVersion}, the newest snapshot saved successfully, and
 * {@code failedThrough}, the newest snapshot whose save failed. Snapshots only grow, so every save attempted
 * since the last success failed, and each change in {@code (durableVersion, failedThrough]} was in one of them.
 * <ul>
 *   <li>{@code awaitDurable(v)} returns normally only when {@code v <= durableVersion}: a save of a snapshot
 *       containing the change completed, so the change is on disk.
 *   <li>It throws {@link CheckpointException} when {@code durableVersion < v <= failedThrough}: a save that
 *       contained the change failed and none has saved it since. The caller must undo its change. This holds
 *       however late the caller arrives, so every caller of a failed group fails, not just those that were
 *       already waiting. A caller newer than the failed snapshot is not failed: it starts the next save.
 *   <li>Callers never spin: they block on a condition and are woken once per completed save.
 *   <li>The lock is never held during I/O: the writer holds only its role (the in-flight flag), and callers
 *       arriving meanwhile queue behind it and are served by the next save together.
 * </ul>
 * Waits are deliberately uninterruptible: an interrupted caller could not tell whether its change is on disk,
 * so could neither keep nor undo it safely. A wait normally spans at most two saves: the one in flight on
 * arrival, whose snapshot may predate the change, and the next, whose snapshot cannot.
 */
public final class GroupCommitter {
    private static final long NONE = -1;

    private final CheckpointStore store;
    private final Supplier<VersionedSnapshot> snapshots;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition saveFinished = lock.newCondition();

    // All guarded by lock.
    private long durableVersion = NONE;
    private long failedThrough = NONE;
    private CheckpointException lastFailure;
    private boolean writing;
    private long finishedSaves; // attempts, successful or not: a waiter's wake-up generation
    private long saves;
    private long failedSaves;
    private int waiting;

    /**
     * @param snapshots returns the owner's current allocations and their version, read atomically; it is called
     *                  by a writer without this committer's lock held
     */
    public GroupCommitter(CheckpointStore store, Supplier<VersionedSnapshot> snapshots) {
        this.store = Objects.requireNonNull(store, "store");
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
    }

    /**
     * Returns once a checkpoint containing change {@code version} is durable, writing one if needed.
     *
     * @throws CheckpointException when a save containing {@code version} failed before any succeeded; undo the
     *                             change
     * @throws IllegalStateException when the snapshot supplier never reaches {@code version} (an owner bug)
     */
    public void awaitDurable(long version) throws CheckpointException {
        if (version < 0) {
            throw new IllegalArgumentException("version " + version + " is negative");
        }
        lock.lock();
        try {
            while (true) {
                if (version <= durableVersion) {
                    return;
                }
                if (version <= failedThrough) {
                    // A fresh exception per caller: a shared one would collect everyone's suppressed exceptions.
                    throw new CheckpointException(lastFailure.getMessage(), lastFailure);
                }
                if (!writing) {
                    writing = true;
                    break;
                }
                long generation = finishedSaves;
                waiting++;
                try {
                    while (finishedSaves == generation) {
                        saveFinished.awaitUninterruptibly();
                    }
                } finally {
                    waiting--;
                }
            }
        } finally {
            lock.unlock();
        }
        write(version);
    }

    private void write(long wanted) throws CheckpointException {
        VersionedSnapshot snapshot = null;
        CheckpointException failure = null;
        boolean saved = false;
        try {
            snapshot = snapshots.get();
            store.save(snapshot.checkpoint());
            saved = true;
        } catch (CheckpointException e) {
            failure = e;
        } catch (RuntimeException e) {
            if (snapshot == null) {
                throw e; // no snapshot, so no change was attempted: waiters simply start the next save
            }
            failure = new CheckpointException("Could not save checkpoint: the store failed unexpectedly (" + e
                    + "). The change must be undone and retried.", e);
        } finally {
            finish(snapshot, saved, failure);
        }
        if (failure != null) {
            throw failure;
        }
        if (snapshot.version() < wanted) {
            throw new IllegalStateException("Change version " + wanted + " is newer than the owner's latest snapshot"
                    + " (version " + snapshot.version() + "): awaitDurable must be called after the change is made,"
                    + " with the version the change returned.");
        }
    }

    private void finish(VersionedSnapshot snapshot, boolean saved, CheckpointException failure) {
        lock.lock();
        try {
            if (saved) {
                saves++;
                durableVersion = Math.max(durableVersion, snapshot.version());
            } else if (failure != null) {
                failedSaves++;
                failedThrough = Math.max(failedThrough, snapshot.version());
                lastFailure = failure;
            }
            writing = false;
            finishedSaves++;
            saveFinished.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Saves that succeeded. */
    public long saves() {
        lock.lock();
        try {
            return saves;
        } finally {
            lock.unlock();
        }
    }

    /** Saves that failed (each failed every caller it covered). */
    public long failedSaves() {
        lock.lock();
        try {
            return failedSaves;
        } finally {
            lock.unlock();
        }
    }

    /** The highest version known to be on disk; -1 before the first save. */
    public long durableVersion() {
        lock.lock();
        try {
            return durableVersion;
        } finally {
            lock.unlock();
        }
    }

    /** Callers blocked behind the save in flight: the size of the next group. */
    public int waitingCallers() {
        lock.lock();
        try {
            return waiting;
        } finally {
            lock.unlock();
        }
    }
}
