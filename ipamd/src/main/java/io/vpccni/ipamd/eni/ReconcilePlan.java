package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.pool.Allocation;
import io.vpccni.ipamd.pool.Datastore;
import io.vpccni.ipamd.pool.EniInfo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What it takes to bring the pool in step with what is attached to the node, decided from two views and no I/O:
 * the pool's (what the daemon believes) and the node's (what IMDS or EC2 says). Whatever the daemon changed itself
 * within the reconcile cooldown is left alone, since IMDS and EC2 may not show it yet.
 *
 * @param added     CIDRs an ENI of the pool has in the node's view and not in the pool
 * @param dropped   CIDRs the pool holds that the ENI no longer has, with the assignments that lose their address
 * @param detached  ENIs of the pool no longer attached, with the assignments on them
 * @param joining   ENIs someone else attached that pods may use: the caller wires their host side, then adds them
 * @param leftAlone ENIs someone else attached that pods must not use (EC2's type, tags or network card say so)
 * @param ignored   why the node's view was not used at all; empty when it was
 */
public record ReconcilePlan(List<CidrChange> added, List<CidrChange> dropped, List<EniDrop> detached,
                            List<NodeEni> joining, List<NodeEni> leftAlone, Optional<String> ignored) {

    /** An ENI of the pool with the CIDRs the datastore holds for it (/32 secondary addresses, /28 prefixes). */
    public record PooledEni(EniInfo info, Set<IpPrefix> cidrs) {
    }

    /**
     * The pool's side.
     *
     * @param keptOut     attached ENIs the pool keeps out knowingly (not for pods, or the daemon is attaching or
     *                    removing them); one recorded outside the pool without such a verdict is not among them
     * @param allocations every assignment, to name the pods an address is taken from
     * @param own         what the daemon changed itself within the reconcile cooldown
     */
    public record PoolView(List<PooledEni> enis, Set<String> keptOut, List<Allocation> allocations,
                           Datastore.OwnChangeView own) {
    }

    /**
     * An ENI attached to the node, as IMDS or EC2 sees it.
     *
     * @param deviceNumber -1 in IMDS's view, which reads only what the comparison needs
     * @param cidrs        its secondary addresses as /32s and its prefixes as /28s, the primary address excluded
     * @param notForPods   why the pool must not use it, from EC2's interface type, tags and network card; IMDS cannot
     *                     say, so always empty in its view
     * @param inMetadata   whether IMDS lists it: a new ENI's host side can be set up only once it does
     */
    public record NodeEni(String eniId, String mac, int deviceNumber, int networkCard, String subnetId, String primaryIp,
                          Set<IpPrefix> cidrs, Optional<String> notForPods, boolean inMetadata) {
    }

    public record CidrChange(String eniId, IpPrefix cidr, List<Allocation> losing) {
    }

    public record EniDrop(EniInfo eni, List<Allocation> losing) {
    }

    /** Whether the views agree, as far as anything may be done about it now. */
    public boolean isEmpty() {
        return added.isEmpty() && dropped.isEmpty() && detached.isEmpty() && joining.isEmpty() && leftAlone.isEmpty();
    }

    public static ReconcilePlan between(PoolView pool, List<NodeEni> node) {
        var attached = new LinkedHashMap<String, NodeEni>();
        node.forEach(e -> attached.put(e.eniId(), e));
        for (var eni : pool.enis()) {
            // The primary ENI cannot be detached: a view without it is broken (an empty answer, a wrong filter), and
            // acting on it would take every other ENI out of the pool.
            if (eni.info().primary() && !attached.containsKey(eni.info().eniId())) {
                return new ReconcilePlan(List.of(), List.of(), List.of(), List.of(), List.of(),
                        Optional.of("it does not list the primary ENI " + eni.info().eniId() + ", so it is not a view of this node"));
            }
        }
        var own = pool.own();
        var added = new ArrayList<CidrChange>();
        var dropped = new ArrayList<CidrChange>();
        var detached = new ArrayList<EniDrop>();
        var pooled = new HashSet<String>();
        for (var eni : pool.enis()) {
            var id = eni.info().eniId();
            pooled.add(id);
            var now = attached.get(id);
            if (now == null) {
                if (!own.enis().contains(id)) {
                    detached.add(new EniDrop(eni.info(), holders(pool.allocations(), eni.cidrs())));
                }
                continue;
            }
            for (var cidr : sorted(now.cidrs())) {
                if (!eni.cidrs().contains(cidr) && !own.cidrs().contains(cidr)) {
                    added.add(new CidrChange(id, cidr, List.of()));
                }
            }
            for (var cidr : sorted(eni.cidrs())) {
                if (!now.cidrs().contains(cidr) && !own.cidrs().contains(cidr)) {
                    dropped.add(new CidrChange(id, cidr, holders(pool.allocations(), Set.of(cidr))));
                }
            }
        }
        var joining = new ArrayList<NodeEni>();
        var leftAlone = new ArrayList<NodeEni>();
        for (var eni : attached.values()) {
            var id = eni.eniId();
            if (pooled.contains(id) || pool.keptOut().contains(id) || own.enis().contains(id)) {
                continue;
            }
            if (eni.notForPods().isPresent()) {
                leftAlone.add(eni);
            } else if (eni.inMetadata()) {
                joining.add(eni);
            }
            // else EC2 lists it and IMDS does not yet: its host side cannot be set up; a later pass joins it.
        }
        return new ReconcilePlan(added, dropped, detached, joining, leftAlone, Optional.empty());
    }

    /** The assignments whose address lies in one of {@code cidrs}. */
    static List<Allocation> holders(List<Allocation> allocations, Set<IpPrefix> cidrs) {
        var out = new ArrayList<Allocation>();
        for (var a : allocations) {
            var ip = toInt(a.ipv4().getAddress());
            for (var c : cidrs) {
                var mask = c.length() == 0 ? 0 : -1 << (32 - c.length());
                if ((ip & mask) == (toInt(c.address().getAddress()) & mask)) {
                    out.add(a);
                    break;
                }
            }
        }
        return out;
    }

    private static List<IpPrefix> sorted(Set<IpPrefix> cidrs) {
        return cidrs.stream().sorted(Comparator.comparing((IpPrefix c) -> toInt(c.address().getAddress()), Integer::compareUnsigned)
                .thenComparingInt(IpPrefix::length)).toList();
    }

    private static int toInt(byte[] b) {
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }
}
