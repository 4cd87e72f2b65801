package io.vpccni.ipamd.pool;

/** The pool cannot hand out (or take back) an address now; the caller should retry later (CNI code 11). */
public final class PoolException extends RuntimeException {
    public enum Reason {
        /** Every address held by the node is in use or cooling down; the pool is growing in the background. */
        EXHAUSTED,
        /** The pool is not serving at all (starting, checkpoint unreadable, no pool configured). */
        NOT_READY,
        /** The change could not be made durable, so it was undone. */
        NOT_DURABLE
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
