package io.vpccni.ipamd.doctor;

import io.vpccni.ipamd.net.Address;
import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.net.Link;
import io.vpccni.ipamd.net.Route;
import io.vpccni.ipamd.net.Rule;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Crafted daemon answers and kernel states: a node with a primary ENI (ens5) and a secondary (ens6, table 2). */
final class DoctorFixtures {
    static final String PRIMARY_MAC = "02:00:00:00:00:05";
    static final String SECONDARY_MAC = "02:00:00:00:00:06";

    private DoctorFixtures() {
    }

    static PodsView.Pod pod(String name, String ip, int table, String veth) {
        return new PodsView.Pod("default", name, "c0ffee" + name + "0123456789", "eth0", "aws-cni", ip,
                table == 254 ? "eni-0prim" : "eni-0sec", table == 254 ? 0 : 1, table, veth, "2026-01-01T00:00:00Z",
                new PodsView.Wiring("host+pod", true, List.of()));
    }

    static PodsView pods(PodsView.Pod... pods) {
        return new PodsView(new PodsView.Pool(true, "", 10, pods.length, 29), List.of(pods));
    }

    static GuardView.Eni primary() {
        return new GuardView.Eni("eni-0prim", PRIMARY_MAC, "ens5", 5, true, 0, 254, "10.9.0.5", "systemd-networkd", "configured", false);
    }

    static GuardView.Eni secondary(boolean refused, String owner) {
        return new GuardView.Eni("eni-0sec", SECONDARY_MAC, "ens6", 6, false, 1, 2, "10.9.1.20", owner, "", refused);
    }

    static GuardView guard(GuardView.Eni... enis) {
        return new GuardView(List.of(enis), new GuardView.Heals(new GuardView.Restored(0, 0, 0), List.of()));
    }

    /** The kernel as a healthy node has it, for the given pods (name → ip, table, veth as in {@link #pod}). */
    static Kernel kernel() {
        var k = new Kernel();
        k.links.add(new Link(5, "ens5", PRIMARY_MAC, 9001, true, "veth"));
        k.links.add(new Link(6, "ens6", SECONDARY_MAC, 9001, true, "veth"));
        k.addresses.add(new Address(5, IpPrefix.of("10.9.0.5/24")));
        k.addresses.add(new Address(6, IpPrefix.of("10.9.1.20/24")));
        k.routes.add(Route.via(IpPrefix.DEFAULT, IpPrefix.ipv4("10.9.0.1"), 5, Route.MAIN));
        k.routes.add(Route.link(IpPrefix.of("10.9.1.1/32"), 6, 2));
        k.routes.add(Route.via(IpPrefix.DEFAULT, IpPrefix.ipv4("10.9.1.1"), 6, 2));
        k.rules.add(Rule.from(32765, IpPrefix.of("10.9.1.20/32"), 2));
        return k;
    }

    /** A mutable kernel to craft; {@link #facts} freezes it. */
    static final class Kernel {
        final List<Link> links = new ArrayList<>();
        final List<Address> addresses = new ArrayList<>();
        final List<Rule> rules = new ArrayList<>();
        final List<Route> routes = new ArrayList<>();
        private int nextIndex = 100;

        /** A pod wired as the daemon wires it: its veth up, the host route, rule 512 and (off main) rule 1536. */
        Kernel wired(PodsView.Pod pod) {
            var index = nextIndex++;
            links.add(new Link(index, pod.hostVeth(), "02:aa:00:00:00:" + Integer.toHexString(index), 9001, true, "veth"));
            var ip = IpPrefix.of(pod.ip() + "/32");
            routes.add(Route.link(ip, index, Route.MAIN));
            rules.add(Rule.to(512, ip, Route.MAIN));
            if (pod.routeTable() != Route.MAIN) {
                rules.add(Rule.from(1536, ip, pod.routeTable()));
            }
            return this;
        }

        KernelFacts facts() {
            return new KernelFacts(links, addresses, rules, routes);
        }
    }

    static SysctlFacts sysctls(String primary, Map<String, String> values) {
        return new SysctlFacts(primary, values);
    }
}
