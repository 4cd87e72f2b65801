package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.k8s.SweepLease;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One cluster's sweep lease in memory, on the test's clock: a node takes it when it is free or lapsed, renews it
 * while it holds it, and everyone else is told who holds it. {@link #apiServerDown} makes every claim UNKNOWN, as
 * when no node can reach the API server.
 */
public final class FakeSweepLease {
    private final Clock clock;
    private String holder;
    private Instant expires = Instant.MIN;
    private boolean down;
    private long claims;

    public FakeSweepLease(Clock clock) {
        this.clock = clock;
    }

    /** The lease as node {@code node} sees it. */
    public SweepLease forNode(String node) {
        return new SweepLease() {
            @Override
            public boolean acquire(Duration term) {
                return claim(term) == Claim.HELD;
            }

            @Override
            public Claim claim(Duration term) {
                return FakeSweepLease.this.claim(node, term);
            }
        };
    }

    private synchronized SweepLease.Claim claim(String node, Duration term) {
        claims++;
        if (down) {
            return SweepLease.Claim.UNKNOWN;
        }
        var now = clock.instant();
        if (holder != null && !holder.equals(node) && now.isBefore(expires)) {
            return SweepLease.Claim.HELD_BY_ANOTHER_NODE;
        }
        holder = node;
        expires = now.plus(term);
        return SweepLease.Claim.HELD;
    }

    public synchronized void apiServerDown(boolean down) {
        this.down = down;
    }

    /** The holder whose term has not lapsed, if any. */
    public synchronized Optional<String> holder() {
        return holder != null && clock.instant().isBefore(expires) ? Optional.of(holder) : Optional.empty();
    }

    /** Every claim so far, answered or not: the API server requests the lease costs. */
    public synchronized long claims() {
        return claims;
    }
}
