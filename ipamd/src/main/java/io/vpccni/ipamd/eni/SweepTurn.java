package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.k8s.SweepLease.Claim;

/** What one periodic pass of the leak sweep covers, by what the claim on the sweep lease found. */
enum SweepTurn {
    /** This node holds the lease: every leaked ENI of the cluster, whichever node (live or gone) created it. */
    CLUSTER("cluster"),
    /** Nobody can say who sweeps, or the cluster has no name: this node's own ENIs, one cheap filtered call. */
    OWN_NODE("node"),
    /**
     * Another node holds the lease, and its cluster sweep covers this node's ENIs: no call at all. (ENIs created
     * before CLUSTER_NAME was set lack the cluster tag; setting it restarts the daemon, whose start sweep takes the
     * node's own.)
     */
    SKIP("none");

    /** The {@code scope} label of the sweep metrics. */
    final String label;

    SweepTurn(String label) {
        this.label = label;
    }

    static SweepTurn after(Claim claim) {
        return switch (claim) {
            case HELD -> CLUSTER;
            case HELD_BY_ANOTHER_NODE -> SKIP;
            // The lease can be out of reach while EC2 is not: leaks would then pile up on every node.
            case UNKNOWN -> OWN_NODE;
        };
    }
}
