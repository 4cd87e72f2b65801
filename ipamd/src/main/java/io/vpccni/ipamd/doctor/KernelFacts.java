package io.vpccni.ipamd.doctor;

import io.vpccni.ipamd.net.Address;
import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.net.Link;
import io.vpccni.ipamd.net.Netlink;
import io.vpccni.ipamd.net.Route;
import io.vpccni.ipamd.net.Rule;

import java.util.List;
import java.util.Optional;

/** The host namespace's links, IPv4 addresses, policy rules and routes of every table, as rtnetlink lists them. */
public record KernelFacts(List<Link> links, List<Address> addresses, List<Rule> rules, List<Route> routes) {
    public KernelFacts {
        links = List.copyOf(links);
        addresses = List.copyOf(addresses);
        rules = List.copyOf(rules);
        routes = List.copyOf(routes);
    }

    static KernelFacts read(Netlink netlink) {
        return new KernelFacts(netlink.links(), netlink.addresses(), netlink.rules(), netlink.routes(0));
    }

    Optional<Link> link(String name) {
        return links.stream().filter(l -> l.name().equals(name)).findFirst();
    }

    Optional<Link> linkByMac(String mac) {
        return links.stream().filter(l -> l.mac().equalsIgnoreCase(mac)).findFirst();
    }

    String linkName(int index) {
        return links.stream().filter(l -> l.index() == index).map(Link::name).findFirst().orElse("if" + index);
    }

    List<Route> table(int table) {
        return routes.stream().filter(r -> r.table() == table).toList();
    }

    /** The device of main's default route: the primary interface when the daemon cannot say. */
    Optional<String> defaultRouteLink() {
        return table(Route.MAIN).stream().filter(r -> r.dst().isDefault() && r.oif() != 0).findFirst().map(r -> linkName(r.oif()));
    }

    /** A route as {@code ip route} prints it: "10.0.1.5/32 dev enixyz table 254 scope link", "default via 10.0.1.1 dev ens6 table 2". */
    String describe(Route route) {
        var text = route.describe(linkName(route.oif()));
        return text.startsWith("0.0.0.0/0") ? "default" + text.substring("0.0.0.0/0".length()) : text;
    }

    /** The addresses on link {@code index}. */
    List<IpPrefix> addressesOn(int index) {
        return addresses.stream().filter(a -> a.linkIndex() == index).map(Address::prefix).toList();
    }

    /** Whether a rule with exactly this priority, source, destination and table (and no fwmark) is in place. */
    boolean hasRule(Rule wanted) {
        return rules.stream().anyMatch(r -> r.priority() == wanted.priority() && java.util.Objects.equals(r.src(), wanted.src())
                && java.util.Objects.equals(r.dst(), wanted.dst()) && r.table() == wanted.table() && r.fwmark() == 0);
    }

    /** Rules that mention {@code address} as source or destination. */
    List<Rule> rulesFor(IpPrefix address) {
        return rules.stream().filter(r -> address.equals(r.src()) || address.equals(r.dst())).toList();
    }
}
