package io.vpccni.ipamd.testing;

import io.vpccni.ipamd.pod.Caller;

import java.util.concurrent.atomic.AtomicInteger;

/** Callers that give up on cue, without any clock. */
public final class Callers {
    private Callers() {
    }

    /** Waits for its first {@code looks - 1} looks, and has gone (its deadline passed) from the {@code looks}-th on. */
    public static Caller goneAtLook(int looks) {
        var seen = new AtomicInteger();
        return new Caller() {
            @Override
            public String gone() {
                return seen.incrementAndGet() >= looks ? "the caller's deadline passed" : null;
            }

            @Override
            public long remainingNanos() {
                return seen.get() + 1 >= looks ? 0 : Long.MAX_VALUE;  // no time left once its next look is the last
            }
        };
    }
}
