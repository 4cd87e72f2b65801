package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.eni.ReconcilePlan.NodeEni;
import io.vpccni.ipamd.eni.ReconcilePlan.PoolView;
import io.vpccni.ipamd.eni.ReconcilePlan.PooledEni;
import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.pool.Allocation;
import io.vpccni.ipamd.pool.AttachmentKey;
import io.vpccni.ipamd.pool.Datastore;
import io.vpccni.ipamd.pool.EniInfo;
import io.vpccni.ipamd.pool.PodIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reconcile's decisions, from the pool's view and the node's. Notation: an ENI is {@code id:cidr,cidr} (a bare
 * address is a /32); in the pool {@code *} marks the primary ENI; on the node {@code !} marks one pods must not use and
 * {@code ~} one IMDS does not list yet. Own changes are ENI ids and CIDRs. The plan reads {@code +eni:cidr} (add),
 * {@code -eni:cidr} (drop), {@code xeni} (detached), {@code >eni} (joins), {@code <eni} (left alone), {@code ignored}.
 */
class ReconcilePlanTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', nullValues = "-", textBlock = """
            in step                                  | p*:10.0.0.11,10.0.0.12 b:10.0.1.20 | p:10.0.0.11,10.0.0.12 b:10.0.1.20 | -                   | -                  | -
            address assigned outside                 | p*:10.0.0.11                       | p:10.0.0.11,10.0.0.12             | -                   | -                  | +p:10.0.0.12
            address unassigned outside               | p*:10.0.0.11,10.0.0.12             | p:10.0.0.11                       | -                   | -                  | -p:10.0.0.12
            the daemon's release is not re-added     | p*:10.0.0.11                       | p:10.0.0.11,10.0.0.12             | -                   | 10.0.0.12          | -
            the daemon's new address is not dropped  | p*:10.0.0.11,10.0.0.12             | p:10.0.0.11                       | -                   | 10.0.0.12          | -
            prefix assigned outside                  | p*:10.0.128.0/28                   | p:10.0.128.0/28,10.0.128.16/28    | -                   | -                  | +p:10.0.128.16/28
            prefix unassigned outside                | p*:10.0.128.0/28,10.0.128.16/28    | p:10.0.128.16/28                  | -                   | -                  | -p:10.0.128.0/28
            both kinds are mirrored                  | p*:10.0.0.11                       | p:10.0.0.11,10.0.128.0/28         | -                   | -                  | +p:10.0.128.0/28
            address moved between ENIs               | p*:10.0.0.11 b:10.0.1.20           | p:10.0.0.11,10.0.1.20 b:          | -                   | -                  | +p:10.0.1.20 -b:10.0.1.20
            ENI detached outside                     | p*:10.0.0.11 b:10.0.1.20           | p:10.0.0.11                       | -                   | -                  | xb
            ENI the daemon just removed              | p*:10.0.0.11 b:10.0.1.20           | p:10.0.0.11                       | -                   | b                  | -
            the primary ENI missing: not this node   | p*:10.0.0.11 b:10.0.1.20           | b:10.0.1.20                       | -                   | -                  | ignored
            ENI attached outside                     | p*:10.0.0.11                       | p:10.0.0.11 n:10.0.2.5            | -                   | -                  | >n
            ENI attached outside, not for pods       | p*:10.0.0.11                       | p:10.0.0.11 n!:                   | -                   | -                  | <n
            ENI attached outside, IMDS not there yet | p*:10.0.0.11                       | p:10.0.0.11 n~:10.0.2.5           | -                   | -                  | -
            ENI kept out of the pool knowingly       | p*:10.0.0.11                       | p:10.0.0.11 n:10.0.2.5            | n                   | -                  | -
            ENI the daemon is attaching              | p*:10.0.0.11                       | p:10.0.0.11 n:10.0.2.5            | -                   | n                  | -
            an ENI kept out that left is no news     | p*:10.0.0.11                       | p:10.0.0.11                       | n                   | -                  | -
            """)
    void plans(String name, String pool, String node, String keptOut, String own, String expected) {
        var plan = ReconcilePlan.between(pool(pool, keptOut, own, List.of()), node(node));
        assertEquals(expected == null ? "" : expected, render(plan), name);
    }

    @Test
    void thePodsThatLoseTheirAddressAreNamed() {
        var onDropped = allocation("c1", "10.0.0.12");
        var inDroppedPrefix = allocation("c2", "10.0.128.7");
        var onDetached = allocation("c3", "10.0.1.20");
        var kept = allocation("c4", "10.0.0.11");
        var pool = pool("p*:10.0.0.11,10.0.0.12,10.0.128.0/28 b:10.0.1.20", null, null,
                List.of(onDropped, inDroppedPrefix, onDetached, kept));
        var plan = ReconcilePlan.between(pool, node("p:10.0.0.11"));
        assertEquals(List.of(List.of(onDropped), List.of(inDroppedPrefix)),
                plan.dropped().stream().map(ReconcilePlan.CidrChange::losing).toList());
        assertEquals(List.of(onDetached), plan.detached().getFirst().losing());
    }

    @Test
    void aNodeEniIsJoinedWithWhatEc2SaysOfIt() {
        var plan = ReconcilePlan.between(pool("p*:10.0.0.11", null, null, List.of()), List.of(
                nodeEni("p", "10.0.0.11", ""), new NodeEni("n", "02:00:00:00:00:09", 3, 0, "subnet-1", "10.0.2.4",
                        Set.of(IpPrefix.of("10.0.2.5/32")), Optional.empty(), true)));
        assertEquals(3, plan.joining().getFirst().deviceNumber());
        assertTrue(plan.added().isEmpty() && plan.dropped().isEmpty());
    }

    // ---- notation

    private static PoolView pool(String spec, String keptOut, String own, List<Allocation> allocations) {
        var enis = new ArrayList<PooledEni>();
        var device = 0;
        for (var e : Arrays.stream(spec.split(" ")).filter(s -> !s.isBlank()).toList()) {
            var id = e.substring(0, e.indexOf(':'));
            var primary = id.endsWith("*");
            id = id.replace("*", "");
            enis.add(new PooledEni(new EniInfo(id, "02:00:00:00:00:0" + device, device, 0, primary, false, false, "subnet-1",
                    EniInfo.routeTableFor(0, device, primary), Instant.EPOCH), cidrs(e.substring(e.indexOf(':') + 1))));
            device++;
        }
        var ownEnis = new HashSet<String>();
        var ownCidrs = new HashSet<IpPrefix>();
        for (var t : words(own)) {
            if (Character.isDigit(t.charAt(0))) {
                ownCidrs.add(cidr(t));
            } else {
                ownEnis.add(t);
            }
        }
        return new PoolView(enis, Set.copyOf(words(keptOut)), allocations, new Datastore.OwnChangeView(ownEnis, ownCidrs));
    }

    private static List<NodeEni> node(String spec) {
        return words(spec).stream().map(e -> {
            var id = e.substring(0, e.indexOf(':'));
            return nodeEni(id, e.substring(e.indexOf(':') + 1), id);
        }).toList();
    }

    private static NodeEni nodeEni(String idWithFlags, String cidrs, String flags) {
        var id = idWithFlags.replaceAll("[!~]", "");
        return new NodeEni(id, "02:00:00:00:01:00", 5, 0, "subnet-1", "10.9.9.9", cidrs(cidrs),
                flags.contains("!") ? Optional.of("it is a trunk ENI") : Optional.empty(), !flags.contains("~"));
    }

    private static Set<IpPrefix> cidrs(String list) {
        var out = new HashSet<IpPrefix>();
        Arrays.stream(list.split(",")).filter(s -> !s.isBlank()).forEach(c -> out.add(cidr(c)));
        return out;
    }

    private static IpPrefix cidr(String c) {
        return c.contains("/") ? IpPrefix.of(c) : IpPrefix.host(IpPrefix.ipv4(c));
    }

    private static List<String> words(String s) {
        return s == null ? List.of() : Arrays.stream(s.split(" ")).filter(w -> !w.isBlank()).toList();
    }

    private static String text(IpPrefix c) {
        return c.length() == 32 ? c.address().getHostAddress() : c.toString();
    }

    private static String render(ReconcilePlan plan) {
        if (plan.ignored().isPresent()) {
            return "ignored";
        }
        var out = new ArrayList<String>();
        plan.added().forEach(c -> out.add("+" + c.eniId() + ":" + text(c.cidr())));
        plan.dropped().forEach(c -> out.add("-" + c.eniId() + ":" + text(c.cidr())));
        plan.detached().forEach(d -> out.add("x" + d.eni().eniId()));
        plan.joining().forEach(e -> out.add(">" + e.eniId()));
        plan.leftAlone().forEach(e -> out.add("<" + e.eniId()));
        return String.join(" ", out);
    }

    private static Allocation allocation(String container, String ip) {
        return new Allocation(new AttachmentKey("aws-cni", container, "eth0"), new PodIdentity("default", container, "", ""),
                IpPrefix.ipv4(ip), 0, 254);
    }
}
