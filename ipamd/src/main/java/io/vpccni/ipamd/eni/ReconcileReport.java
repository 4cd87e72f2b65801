package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.eni.ReconcilePlan.CidrChange;
import io.vpccni.ipamd.pool.Allocation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One pass of the node reconcile: what it changed in the pool, how many EC2 calls it made (none while IMDS agrees
 * with the pool) and how long it took, from its start to the pool being in step.
 *
 * @param failure why the pass changed nothing although it may have had to (IMDS or EC2 did not answer)
 */
public record ReconcileReport(Instant startedAt, Duration took, int ec2Calls, Changes changes, Optional<String> failure) {

    /**
     * @param dropped     CIDRs taken out of the pool, each with the assignments that lost their address
     * @param podsLost    every assignment whose address left the pool, detached ENIs' included
     * @param skipped     changes the plan asked for that were not made, and why (the pool changed meanwhile, an ENI's
     *                    host side could not be set up); a later pass sees them again
     */
    public record Changes(List<CidrChange> added, List<CidrChange> dropped, List<String> enisJoined, List<String> enisDropped,
                          List<String> enisLeftAlone, List<Allocation> podsLost, List<String> skipped) {
        public static final Changes NONE = new Changes(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

        /** Whether the pool changed. */
        public boolean any() {
            return !added.isEmpty() || !dropped.isEmpty() || !enisJoined.isEmpty() || !enisDropped.isEmpty()
                    || !enisLeftAlone.isEmpty();
        }
    }

    public boolean changed() {
        return changes.any();
    }
}
