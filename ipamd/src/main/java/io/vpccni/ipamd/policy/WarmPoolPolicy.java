package io.vpccni.ipamd.policy;

import io.vpccni.ipamd.policy.PoolAction.AllocateEni;
import io.vpccni.ipamd.policy.PoolAction.AssignToEni;
import io.vpccni.ipamd.policy.PoolAction.DeleteEni;
import io.vpccni.ipamd.policy.PoolAction.Nothing;
import io.vpccni.ipamd.policy.PoolAction.ReleaseCidrs;
import io.vpccni.ipamd.policy.PoolAction.ReleaseCidrs.Release;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Decides the pool's next step from a snapshot: grow if it is below its targets, else give back addresses if it
 * is above them, else delete an ENI nothing needs, else nothing. One step per call; the pool manager performs it
 * and asks again on its next tick, as upstream's loop does every few seconds.
 *
 * <p>Pure: no I/O and no clock ({@link PoolState#now()} is the time). Deterministic where upstream walks a Go map
 * in random order: growth fills ENIs from the lowest device number up, and releases and deletions start from the
 * highest. Shrinking the newest ENIs first leaves the spare addresses on the older ones, so a trailing ENI ends up
 * unneeded and can be deleted, instead of every ENI keeping a few warm addresses.
 *
 * <p>As upstream, WARM_ENI_TARGET alone never gives addresses back; only whole spare ENIs are deleted.
 *
 * <p>Deliberate differences from upstream:
 * <ul>
 *   <li>Addresses still in their IP_COOLDOWN_PERIOD are never given back to EC2 (and a prefix holding one is not
 *       free). Upstream frees any CIDR no pod holds, so a just-deleted pod's address can go to another node while
 *       the old pod's connections still use it (upstream #1091).</li>
 *   <li>Every attached ENI counts against min(MAX_ENI, instance limit), those outside the pool included
 *       ({@link PoolState#unpooledEnis()}: tagged no_manage, trunk, EFA, other network cards, another controller's).
 *       Upstream subtracts its unmanaged count the same way. The trunk-ENI reservation of ENABLE_POD_ENI (a slot kept
 *       free until the trunk is attached) is not modelled.</li>
 *   <li>EFA ENIs get no pod addresses, like trunk ENIs.</li>
 *   <li>Custom networking (never adding addresses to the primary ENI) is not modelled; the primary ENI is used.</li>
 *   <li>An excluded ENI no pod uses may always be deleted (after its first minute and cooldown), even when the
 *       pool is low or WARM_ENI_TARGET sees no spare ENI: otherwise at MAX_ENI it would block growth forever.</li>
 * </ul>
 */
public final class WarmPoolPolicy {
    /** Addresses are given back at most this often, so a burst of pod deletions does not churn EC2. */
    public static final Duration DECREASE_INTERVAL = Duration.ofSeconds(30);

    private static final Comparator<EniState> BY_DEVICE_NUMBER =
            Comparator.comparingInt(EniState::deviceNumber).thenComparing(EniState::eniId);

    private final PoolConfig config;
    private final PoolLimits limits;
    private final WarmTargets targets;
    private final EniRemoval removal;

    public WarmPoolPolicy(PoolConfig config, InstanceLimits instance) {
        this.config = config;
        this.limits = PoolLimits.of(config, instance);
        this.targets = new WarmTargets(config, limits);
        this.removal = new EniRemoval(config);
    }

    public PoolConfig config() {
        return config;
    }

    public PoolLimits limits() {
        return limits;
    }

    public PoolAction decide(PoolState state) {
        if (config.networkResourceProvisioningDisabled()) {
            return new Nothing(PoolConfig.DISABLE_NETWORK_RESOURCE_PROVISIONING + "=true: the pool is never grown or shrunk");
        }
        var stats = PoolStats.of(state.enis());
        // Why the steps taken did nothing, so the final Nothing explains itself.
        var notes = new ArrayList<String>();
        if (targets.belowTargets(stats)) {
            if (targets.atMaxPods(stats, state.maxPods())) {
                notes.add("not growing: the pool holds " + stats.totalIps() + " addresses, at the node's max pods " + state.maxPods());
            } else {
                var growth = grow(state, stats, notes);
                if (growth.isPresent()) {
                    return growth.get();
                }
            }
        }
        if (targets.tooHigh(stats)) {
            var release = shrink(state, stats, notes);
            if (release.isPresent()) {
                return release.get();
            }
        }
        // Reached even when the pool is low but cannot grow: deleting an idle excluded ENI frees the slot it needs.
        var delete = removeEni(state, stats, notes, targets.shouldRemoveExtraEnis(stats, state.enis()));
        if (delete.isPresent()) {
            return delete.get();
        }
        if (notes.isEmpty()) {
            return new Nothing("pool within targets (" + stats + ")");
        }
        return new Nothing("no action (" + stats + "): " + String.join("; ", notes));
    }

    /** Upstream's increaseDatastorePool: fill an ENI that has room, else attach a new ENI if the node may. */
    private Optional<PoolAction> grow(PoolState state, PoolStats stats, List<String> notes) {
        var why = targets.describeShortfall(stats);
        if (state.unschedulable()) {
            notes.add("node is unschedulable, not growing the pool although " + why);
            return Optional.empty();
        }
        boolean prefixes = config.prefixDelegation();
        int wanted = targets.growthRequest(stats);
        for (var eni : byDeviceNumber(state.enis())) {
            // A trunk ENI carries branch ENIs and an EFA ENI its application, not pods; an excluded one may not serve new pods.
            if (eni.trunk() || eni.efa() || eni.excluded()) {
                continue;
            }
            int room = targets.perEniCapacity() - targets.held(eni);
            if (room > 0) {
                return Optional.of(new AssignToEni(eni.eniId(), Math.min(room, wanted), prefixes, why));
            }
        }
        if (hasRoomForEni(state)) {
            return Optional.of(new AllocateEni(targets.newEniRequest(stats), prefixes, why + "; no ENI has room"));
        }
        notes.add("pool is low (" + why + ") but no ENI has room and the node has " + state.attachedEnis() + " of at most "
                + limits.maxEni() + " ENIs" + (config.maxEni().isPresent() ? " (" + PoolConfig.MAX_ENI + ")" : "")
                + (state.unpooledEnis() > 0 ? ", " + state.unpooledEnis() + " of them outside the pool" : ""));
        return Optional.empty();
    }

    /**
     * Whether one more ENI may be attached: every attached ENI holds a slot, excluded, trunk and EFA ENIs and those
     * outside the pool as much as any other.
     */
    public boolean hasRoomForEni(PoolState state) {
        return state.attachedEnis() < limits.maxEni();
    }

    /** Upstream's decreaseDatastorePool: give back fully unused CIDRs, at most once per DECREASE_INTERVAL. */
    private Optional<PoolAction> shrink(PoolState state, PoolStats stats, List<String> notes) {
        int excess = targets.releasable(stats);
        var sinceLast = Duration.between(state.lastDecrease(), state.now());
        if (sinceLast.compareTo(DECREASE_INTERVAL) <= 0) {
            notes.add(targets.count(excess) + " over target, but the last release was " + sinceLast.toSeconds()
                    + "s ago; next after " + state.lastDecrease().plus(DECREASE_INTERVAL));
            return Optional.empty();
        }
        boolean prefixes = config.prefixDelegation();
        var releases = new ArrayList<Release>();
        int left = excess;
        for (var eni : byDeviceNumber(state.enis()).reversed()) {
            if (left == 0) {
                break;
            }
            // Excluded ENIs are outside the pool's totals, so they cannot pay for its excess.
            if (eni.excluded()) {
                continue;
            }
            int n = Math.min(left, prefixes ? eni.freePrefixes() : eni.unusedIps());
            if (n > 0) {
                releases.add(new Release(eni.eniId(), n));
                left -= n;
            }
        }
        if (releases.isEmpty()) {
            notes.add(targets.count(excess) + " over target, but every unassigned one is still cooling down");
            return Optional.empty();
        }
        return Optional.of(new ReleaseCidrs(releases, prefixes, targets.describeSurplus(stats)));
    }

    /**
     * Upstream's tryFreeENI: delete the last ENI (by device number) that no pod uses and no target needs. When
     * shouldRemoveExtraENIs says there is no spare ENI, only excluded ENIs are candidates: their addresses count
     * for no target, so an idle one only holds an attachment slot (our addition; upstream's exclusion handling
     * lives outside the warm-pool math).
     */
    private Optional<PoolAction> removeEni(PoolState state, PoolStats stats, List<String> notes, boolean extraEnis) {
        var candidates = extraEnis ? state.enis()
                : state.enis().stream().filter(eni -> eni.excluded() && !eni.primary()).toList();
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        if (state.unschedulable()) {
            notes.add("node is unschedulable, not deleting ENIs");
            return Optional.empty();
        }
        var verdict = removal.find(candidates, state.enis(), state.now());
        if (verdict.deletable().isPresent()) {
            var eni = verdict.deletable().get();
            var why = eni.excluded() ? "excluded from pod addresses and no pod uses it" : "no pod uses it and no target needs it";
            return Optional.of(new DeleteEni(eni.eniId(), why + " (" + stats + ")"));
        }
        notes.add("no ENI can be deleted: " + String.join(", ", verdict.refusals()));
        return Optional.empty();
    }

    static List<EniState> byDeviceNumber(List<EniState> enis) {
        return enis.stream().sorted(BY_DEVICE_NUMBER).toList();
    }
}
