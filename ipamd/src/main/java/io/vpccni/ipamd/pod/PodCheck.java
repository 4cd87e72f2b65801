package io.vpccni.ipamd.pod;

import io.vpccni.ipamd.net.Address;
import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.net.Link;
import io.vpccni.ipamd.net.NetNs;
import io.vpccni.ipamd.net.Netlink;
import io.vpccni.ipamd.net.Route;
import io.vpccni.ipamd.net.Rule;
import io.vpccni.ipamd.pool.Allocation;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** CNI CHECK: compares the kernel, on both sides of the veth, with what the allocation requires. */
final class PodCheck {
    private final Netlink host;
    private final Function<String, NetNs> openNetns;
    private final Function<NetNs, Netlink> podNetlink;
    private final PodNetworkRequest request;
    private final Allocation allocation;
    private final String veth;
    private final IpPrefix ip;
    private final List<Drift> drifts = new ArrayList<>();

    PodCheck(Netlink host, Function<String, NetNs> openNetns, Function<NetNs, Netlink> podNetlink, PodNetworkRequest request,
             Allocation allocation, String veth) {
        this.host = host;
        this.openNetns = openNetns;
        this.podNetlink = podNetlink;
        this.request = request;
        this.allocation = allocation;
        this.veth = veth;
        this.ip = IpPrefix.host(allocation.ipv4());
    }

    List<Drift> run() {
        var hostLink = host.link(veth).orElse(null);
        if (hostLink == null) {
            drift("host veth " + veth, "present", "missing");
        } else {
            checkHost(hostLink);
        }
        checkPod(hostLink);
        checkPrevResult(hostLink);
        return drifts;
    }

    private void checkHost(Link hostLink) {
        if (!hostLink.up()) {
            drift("host veth " + veth, "up", "down");
        }
        if (!host.routes(Route.MAIN).contains(Route.link(ip, hostLink.index(), Route.MAIN))) {
            drift("route " + ip + " dev " + veth + " scope link in main", "present", "missing");
        }
        var rules = host.rules();
        expectRule(rules, Rule.to(KernelPodWiring.TO_POD_PRIORITY, ip, Route.MAIN));
        if (allocation.routeTableId() != Route.MAIN) {
            expectRule(rules, Rule.from(KernelPodWiring.FROM_POD_PRIORITY, ip, allocation.routeTableId()));
        }
    }

    private void expectRule(List<Rule> rules, Rule expected) {
        if (rules.contains(expected)) {
            return;
        }
        for (var r : rules) {
            if (r.priority() == expected.priority() && java.util.Objects.equals(r.src(), expected.src())
                    && java.util.Objects.equals(r.dst(), expected.dst())) {
                drift(expected.toString(), "lookup " + expected.table(), "lookup " + r.table());
                return;
            }
        }
        drift(expected.toString(), "present", "missing");
    }

    private void checkPod(Link hostLink) {
        var ifName = request.key().ifName();
        if (request.netns().isEmpty()) {
            drift("pod network namespace", "given", "CNI_NETNS is empty");
            return;
        }
        try (var ns = openNetns.apply(request.netns()); var pod = podNetlink.apply(ns)) {
            var link = pod.link(ifName).orElse(null);
            if (link == null) {
                drift(ifName + " in " + request.netns(), "present", "missing");
                return;
            }
            if (!link.up()) {
                drift(ifName + " in the pod", "up", "down");
            }
            if (!pod.addresses().contains(new Address(link.index(), ip))) {
                drift("address on " + ifName + " in the pod", ip.toString(), "missing");
            }
            var routes = pod.routes(Route.MAIN);
            if (!routes.contains(Route.link(IpPrefix.host(KernelPodWiring.GATEWAY), link.index(), Route.MAIN))) {
                drift("route 169.254.1.1 dev " + ifName + " scope link in the pod", "present", "missing");
            }
            if (!routes.contains(Route.via(IpPrefix.DEFAULT, KernelPodWiring.GATEWAY, link.index(), Route.MAIN))) {
                drift("default route in the pod", "via 169.254.1.1 dev " + ifName, describeDefault(routes));
            }
            var gatewayEntry = pod.neighbours(link.index()).stream()
                    .filter(n -> n.ip().equals(KernelPodWiring.GATEWAY)).findFirst().orElse(null);
            var expectedMac = hostLink == null ? "the host veth's MAC" : hostLink.mac();
            if (gatewayEntry == null) {
                drift("neighbour 169.254.1.1 in the pod", "permanent " + expectedMac, "missing");
            } else if (!gatewayEntry.permanent() || (hostLink != null && !gatewayEntry.mac().equalsIgnoreCase(hostLink.mac()))) {
                drift("neighbour 169.254.1.1 in the pod", "permanent " + expectedMac,
                        (gatewayEntry.permanent() ? "permanent " : "state 0x" + Integer.toHexString(gatewayEntry.state()) + " ")
                                + gatewayEntry.mac());
            }
        } catch (WiringException | IllegalArgumentException e) {
            drift("pod network namespace " + request.netns(), "present", e.getMessage());
        }
    }

    private static String describeDefault(List<Route> routes) {
        for (var r : routes) {
            if (r.dst().isDefault()) {
                return r.gateway() == null ? "default without a gateway" : "via " + r.gateway().getHostAddress();
            }
        }
        return "missing";
    }

    private void checkPrevResult(Link hostLink) {
        var prev = request.prevResult();
        if (prev == null || hostLink == null) {
            return;
        }
        var i = prev.interfaces();
        if (!i.hostVethName().isEmpty() && !i.hostVethName().equals(veth)) {
            drift("prevResult host interface", veth, i.hostVethName());
        }
        if (!i.hostVethMac().isEmpty() && !i.hostVethMac().equalsIgnoreCase(hostLink.mac())) {
            drift("MAC of host veth " + veth, i.hostVethMac() + " (prevResult)", hostLink.mac());
        }
    }

    private void drift(String object, String expected, String actual) {
        drifts.add(new Drift(object, expected, actual));
    }

}
