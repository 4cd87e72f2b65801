package io.vpccni.ipamd.pod;

/**
 * The runtime waiting for a CNI call: work whose caller has given up (its deadline passed, or it hung up)
 * must stop, because the runtime will retry or DEL, and must not find a half-finished answer.
 */
public interface Caller {
    /** Why the caller is gone, or null while it still waits. */
    String gone();

    /** How long the caller still waits, in nanoseconds. */
    long remainingNanos();

    /** A caller with no deadline (GC's internal DELs, tests). */
    Caller PATIENT = new Caller() {
        @Override
        public String gone() {
            return null;
        }

        @Override
        public long remainingNanos() {
            return Long.MAX_VALUE;
        }
    };

    /** @throws CallerGoneException when the caller no longer waits */
    default void ensureWaiting(String step) {
        var why = gone();
        if (why != null) {
            throw new CallerGoneException(why + " before " + step);
        }
    }
}
