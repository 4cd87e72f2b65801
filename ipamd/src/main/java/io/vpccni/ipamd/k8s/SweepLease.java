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

    /** Without an API server every node sweeps its own ENIs only (no lease to share the cluster-wide sweep). */
    SweepLease NONE = term -> false;
}
