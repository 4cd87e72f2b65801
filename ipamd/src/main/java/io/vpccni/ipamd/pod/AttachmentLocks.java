package io.vpccni.ipamd.pod;

import io.vpccni.ipamd.pool.AttachmentKey;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One lock per attachment key, held for a whole ADD, DEL or CHECK: a DEL that arrives while its ADD is still
 * wiring (the runtime timed out and gave up) waits for it and then removes all of it, instead of releasing
 * an address the ADD is about to route. Waiting is bounded by the caller's deadline. Entries live only
 * while someone uses them.
 */
final class AttachmentLocks {
    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        int users;
    }

    private final Map<AttachmentKey, Entry> entries = new HashMap<>();

    <T> T with(AttachmentKey key, Caller caller, Supplier<T> work) {
        Entry entry;
        synchronized (entries) {
            entry = entries.computeIfAbsent(key, k -> new Entry());
            entry.users++;
        }
        try {
            if (!entry.lock.tryLock(caller.remainingNanos(), TimeUnit.NANOSECONDS)) {
                throw new CallerGoneException("the deadline passed while another call on " + key + " was still running");
            }
            try {
                caller.ensureWaiting("starting on " + key);
                return work.get();
            } finally {
                entry.lock.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallerGoneException("interrupted while waiting for another call on " + key);
        } finally {
            synchronized (entries) {
                if (--entry.users == 0) {
                    entries.remove(key);
                }
            }
        }
    }
}
