package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.cloud.CloudException;
import io.vpccni.ipamd.cloud.Ec2Api;
import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.policy.PoolAction;
import io.vpccni.ipamd.pool.Datastore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * Gives unused secondary addresses or prefixes back to EC2 as the pool shrinks. The CIDRs leave the pool in one
 * locked step before EC2 is asked, so no pod can be given one while it goes and none a pod holds is among them;
 * when the call fails, exactly those EC2 still holds return to the pool.
 */
final class CidrRelease {
    private static final Logger log = LoggerFactory.getLogger(CidrRelease.class);

    private final Ec2Api ec2;
    private final Datastore datastore;
    private final Backoff backoff;

    CidrRelease(Ec2Api ec2, Datastore datastore, Backoff backoff) {
        this.ec2 = ec2;
        this.datastore = datastore;
        this.backoff = backoff;
    }

    /**
     * Releases from each listed ENI in turn; the first failure stops the rest, which the next decision sees again.
     * {@link Datastore#takeReleasable} records what it takes for the node reconcile in the same locked step, so a
     * lagging IMDS or EC2 that still lists a CIDR cannot bring it back into the pool while it goes.
     */
    void apply(PoolAction.ReleaseCidrs action) throws CloudException, InterruptedException {
        var prefixes = action.prefixes();
        for (var r : action.releases()) {
            var taken = datastore.takeReleasable(r.eniId(), r.count(), prefixes);
            if (taken.isEmpty()) {
                continue;  // pods took them since the policy looked
            }
            var asEc2Names = taken.stream().map(c -> ec2Name(c, prefixes)).toList();
            try {
                if (prefixes) {
                    ec2.unassignPrefixes(r.eniId(), asEc2Names);
                } else {
                    ec2.unassignPrivateIps(r.eniId(), asEc2Names);
                }
            } catch (CloudException | RuntimeException e) {
                putBackWhatEc2Kept(r.eniId(), taken, prefixes, e);
                throw e;
            }
            log.info("released {} from {}{}: {}", asEc2Names, r.eniId(), taken.size() < r.count()
                    ? " (" + taken.size() + " of " + r.count() + "; pods took the others meanwhile)" : "", action.reason());
        }
    }

    /**
     * A failed call may still have been carried out (the answer was lost, or an SDK retry hit an already released
     * address), so EC2 is asked what the ENI holds now. If it cannot say, an answered refusal means EC2 did nothing;
     * after no answer at all the CIDRs stay out of the pool, because handing out an address EC2 may have given to
     * another node is worse than holding one back until the node reconcile finds EC2 still gives it.
     */
    private void putBackWhatEc2Kept(String eniId, List<IpPrefix> taken, boolean prefixes, Exception failure)
            throws InterruptedException {
        var kept = keptByEc2(eniId, taken, prefixes, failure);
        if (kept.isEmpty()) {
            log.error("releasing {} from {} got no answer ({}), and EC2 cannot say now whether they were released; "
                    + "they stay out of the pool until the node reconcile finds EC2 still gives them (after {} s at the earliest)",
                    taken, eniId, failure.getMessage(), Datastore.RECONCILE_COOLDOWN.toSeconds());
            return;
        }
        datastore.putBack(eniId, kept.get(), prefixes);
        if (kept.get().size() < taken.size()) {
            var gone = taken.stream().filter(c -> !kept.get().contains(c)).toList();
            log.warn("releasing from {} failed ({}), but EC2 released {} all the same; {} returned to the pool",
                    eniId, failure.getMessage(), gone, kept.get());
        }
    }

    /** Those of {@code taken} EC2 still lists on the ENI; empty when that cannot be known. */
    private Optional<List<IpPrefix>> keptByEc2(String eniId, List<IpPrefix> taken, boolean prefixes, Exception failure)
            throws InterruptedException {
        try {
            var held = new HashSet<String>();
            for (var eni : backoff.retrying(() -> ec2.describeNetworkInterfaces(List.of(eniId)))) {
                held.addAll(prefixes ? eni.prefixes() : eni.secondaryIps());
            }
            return Optional.of(taken.stream().filter(c -> held.contains(ec2Name(c, prefixes))).toList());
        } catch (CloudException.NotFound gone) {
            return Optional.of(List.of());  // the ENI itself is gone; the next start rediscovers the node without it
        } catch (CloudException | RuntimeException e) {
            var answeredRefusal = failure instanceof CloudException refused && refused.errorCode().isPresent();
            return answeredRefusal ? Optional.of(taken) : Optional.empty();
        }
    }

    private static String ec2Name(IpPrefix cidr, boolean prefixes) {
        return prefixes ? cidr.toString() : cidr.address().getHostAddress();
    }
}
