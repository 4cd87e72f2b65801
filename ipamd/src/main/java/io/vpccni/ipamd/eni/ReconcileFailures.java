package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.cloud.CloudException;

import java.time.Duration;
import java.util.Random;

/**
 * Consecutive failed passes of the reconcile loop: how long to wait before the next one (bounded exponential
 * backoff with jitter, so a persistent failure neither spins nor hammers EC2), and whether a failure deserves a
 * log line (only when it differs from the one before, not on every pass). A pass that succeeds resets both.
 */
final class ReconcileFailures {
    /** The longest wait between failing passes. */
    static final Duration MAX_WAIT = Duration.ofMinutes(1);

    private final Backoff backoff;
    private int consecutive;
    private String lastKind;

    /** @param interval the loop's normal interval: the first wait after a failure */
    ReconcileFailures(Duration interval, Random random) {
        this.backoff = new Backoff(interval, MAX_WAIT, Integer.MAX_VALUE, Backoff.Sleeper.REAL, random);
    }

    /** Counts a failed pass. @return true when it is a different failure from the previous pass's: log it */
    boolean failed(Throwable failure) {
        consecutive++;
        var kind = kindOf(failure);
        var fresh = !kind.equals(lastKind);
        lastKind = kind;
        return fresh;
    }

    /** The wait before the next pass after {@link #consecutive()} failed ones. */
    Duration nextWait() {
        return backoff.delay(Math.max(1, consecutive));
    }

    int consecutive() {
        return consecutive;
    }

    /** A pass succeeded. @return how many had failed before it */
    int succeeded() {
        var n = consecutive;
        consecutive = 0;
        lastKind = null;
        return n;
    }

    /**
     * What makes two failures "the same": the exception classes down the chain and the message with every token
     * that holds a digit blanked, since ENI ids, MACs, addresses and counts change from pass to pass. For an EC2
     * failure, its action and error code.
     */
    static String kindOf(Throwable failure) {
        var kind = new StringBuilder();
        for (var t = failure; t != null; t = t.getCause()) {
            kind.append(t.getClass().getName()).append(';');
            if (t instanceof CloudException c) {
                return kind.append(c.api()).append(';').append(c.errorCode().orElse("no answer")).toString();
            }
            if (t.getCause() == null) {
                kind.append(String.valueOf(t.getMessage()).replaceAll("[\\w:./-]*\\d[\\w:./-]*", "#"));
            }
        }
        return kind.toString();
    }
}
