package io.vpccni.ipamd.pod;

import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.net.Link;
import io.vpccni.ipamd.net.Route;
import io.vpccni.ipamd.net.Rule;
import io.vpccni.ipamd.pool.Allocation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The host half of CNI CHECK for every pod at once, from one reading of the host's links, main routes and rules:
 * what introspection and the doctor show without entering any pod's namespace. The same expectations as
 * {@link PodCheck}'s host side (veth present and up, {@code <ip>/32 dev <veth>} in main, rule 512, and rule 1536
 * into the ENI's table off the primary ENI).
 */
public final class HostSideCheck {
    private final Map<String, Link> links = new HashMap<>();
    private final Set<Route> mainRoutes;
    private final Set<Rule> rules;

    public HostSideCheck(List<Link> links, List<Route> mainRoutes, List<Rule> rules) {
        links.forEach(l -> this.links.put(l.name(), l));
        this.mainRoutes = new HashSet<>(mainRoutes);
        this.rules = new HashSet<>(rules);
    }

    /** One pod's host side: its veth's name, and what is not as it should be (empty when complete). */
    public record Result(String veth, List<Drift> drifts) {
    }

    public Result check(Allocation allocation, String veth) {
        var drifts = new ArrayList<Drift>();
        var ip = IpPrefix.host(allocation.ipv4());
        var link = links.get(veth);
        if (link == null) {
            drifts.add(new Drift("host veth " + veth, "present", "missing"));
        } else {
            if (!link.up()) {
                drifts.add(new Drift("host veth " + veth, "up", "down"));
            }
            if (!mainRoutes.contains(Route.link(ip, link.index(), Route.MAIN))) {
                drifts.add(new Drift("route " + ip + " dev " + veth + " scope link in main", "present", "missing"));
            }
        }
        expect(drifts, Rule.to(KernelPodWiring.TO_POD_PRIORITY, ip, Route.MAIN));
        if (allocation.routeTableId() != Route.MAIN) {
            expect(drifts, Rule.from(KernelPodWiring.FROM_POD_PRIORITY, ip, allocation.routeTableId()));
        }
        return new Result(veth, drifts);
    }

    private void expect(List<Drift> drifts, Rule rule) {
        if (!rules.contains(rule)) {
            drifts.add(new Drift(rule.toString(), "present", "missing"));
        }
    }
}
