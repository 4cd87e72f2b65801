package io.vpccni.ipamd.k8s;

import java.time.Duration;

/**
 * A {@code coordination.k8s.io/v1} Lease that lets one node at a time sweep the cluster's leaked ENIs, so N nodes
 * do not make N times the DescribeNetworkInterfaces calls.
 */
public interface SweepLease {
    /**
     * Takes the lease for {@code term}, or renews it when this node holds it.
     *
     * @return whether this node holds it now; false also when the API server cannot be reached
     */
    boolean acquire(Duration term);

    /** What a claim on the lease found out. */
    enum Claim {
        /** This node holds the lease now: it sweeps for the cluster. */
        HELD,
        /** Another node holds an unexpired lease: its sweep covers this node's ENIs too. */
        HELD_BY_ANOTHER_NODE,
        /** Nobody can say who sweeps (no API server, unreachable, or a lease that cannot tell): sweep your own. */
        UNKNOWN
    }

    /**
     * Like {@link #acquire} but telling "another node holds it" apart from "cannot tell". A node skips its sweep
     * only on {@link Claim#HELD_BY_ANOTHER_NODE}, so an implementation that cannot tell the two apart keeps this
     * default, which reports every failure to take the lease as {@link Claim#UNKNOWN}: the safe side.
     */
    default Claim claim(Duration term) {
        return acquire(term) ? Claim.HELD : Claim.UNKNOWN;
    }

    /** Without an API server every node sweeps its own ENIs only (no lease to share the cluster-wide sweep). */
    SweepLease NONE = term -> false;
}
