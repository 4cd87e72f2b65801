package io.vpccni.ipamd.pool;

/** The pool cannot hand out an address now; the caller should retry later (CNI code 11). */
public final class PoolException extends RuntimeException {
    public enum Reason {
        /** Every address held by the node is in use or cooling down; the pool is growing in the background. */
        EXHAUSTED,
        /** The pool is not serving at all (starting, checkpoint unreadable, no pool configured). */
        NOT_READY
    }

    private final Reason reason;

    public PoolException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
