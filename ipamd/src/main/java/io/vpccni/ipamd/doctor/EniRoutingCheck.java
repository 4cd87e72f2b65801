package io.vpccni.ipamd.doctor;

import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.net.Route;
import io.vpccni.ipamd.net.Rule;

import java.util.ArrayList;
import java.util.List;

/**
 * Each secondary ENI's own routing, in the kernel: its primary address on its link, a default route in its table,
 * and rule 32765 {@code from <primary address> lookup <table>} (what nodeadm, ec2-net-utils and the daemon all write).
 */
final class EniRoutingCheck {
    static final String ID = "eni-routing";

    private EniRoutingCheck() {
    }

    static List<Finding> findings(GuardView guard, KernelFacts kernel) {
        var out = new ArrayList<Finding>();
        for (var eni : guard.enis()) {
            if (eni.primary() || eni.routeTable() == Route.MAIN) {
                continue;  // the primary ENI routes through main
            }
            var link = kernel.linkByMac(eni.mac());
            if (link.isEmpty()) {
                out.add(Finding.warning(ID, eni.describe(), "the kernel has no link with the ENI's MAC " + eni.mac()
                        + ", so pods on it have no way out", List.of("kernel: no link has MAC " + eni.mac()),
                        "If this lasts more than a minute, the ENI is attached in EC2 but not here: check aws-node's log for the ENI, or detach it."));
                continue;
            }
            var object = eni.eniId() + " (" + link.get().name() + ")";
            var table = eni.routeTable();
            var evidence = new ArrayList<String>();
            var fixes = new ArrayList<String>();
            var summary = new ArrayList<String>();
            var primary = parse(eni.primaryIp());
            if (primary == null) {
                evidence.add("daemon: primary address '" + eni.primaryIp() + "' is not IPv4");
            }
            var addresses = kernel.addressesOn(link.get().index());
            var onLink = primary != null && addresses.stream().anyMatch(a -> a.address().equals(primary.address()));
            evidence.add("kernel: " + link.get().name() + " has " + (addresses.isEmpty() ? "no IPv4 address" : addresses.toString()));
            if (primary != null && !onLink) {
                summary.add("its primary address " + eni.primaryIp() + " is not on " + link.get().name());
                fixes.add("ip addr add " + eni.primaryIp() + "/<subnet length> dev " + link.get().name());
            }
            var routes = kernel.table(table);
            evidence.add(routes.isEmpty() ? "kernel: table " + table + " is empty"
                    : "kernel: table " + table + ": " + String.join("; ", routes.stream().map(kernel::describe).toList()));
            if (routes.stream().noneMatch(r -> r.dst().isDefault())) {
                summary.add("table " + table + " has no default route");
                var gw = addresses.stream().filter(a -> a.length() < 32).findFirst().map(EniRoutingCheck::gateway);
                fixes.add(gw.map(g -> "ip route replace default via " + g + " dev " + link.get().name() + " table " + table)
                        .orElse("ip route replace default via <subnet router> dev " + link.get().name() + " table " + table));
            }
            if (primary != null) {
                var rule = Rule.from(32765, primary, table);
                if (kernel.hasRule(rule)) {
                    evidence.add("kernel: rule \"" + Commands.listed(rule) + "\"");
                } else {
                    summary.add("rule " + Commands.listed(rule) + " is missing");
                    evidence.add("kernel: no rule \"" + Commands.listed(rule) + "\"");
                    fixes.add(Commands.add(rule));
                }
            }
            evidence.add("daemon: device " + eni.deviceNumber() + ", table " + table + ", primary address " + eni.primaryIp());
            if (summary.isEmpty()) {
                out.add(Finding.ok(ID, object, "table " + table + " has its default route and rule 32765 is in place", evidence));
            } else {
                out.add(Finding.problem(ID, object, String.join("; ", summary) + ": pods on this ENI cannot reach beyond their subnet",
                        evidence, "Restart aws-node: it sets every ENI up at start (its healer should have put these back; its log says why not)."
                                + " By hand, now: " + String.join("; ", fixes)));
            }
        }
        return out;
    }

    private static IpPrefix parse(String ip) {
        try {
            return IpPrefix.of(ip + "/32");
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The VPC router: the first address of the subnet. */
    private static String gateway(IpPrefix address) {
        var b = address.network().address().getAddress();
        b[3] = (byte) (b[3] + 1);
        return IpPrefix.ipv4(b).getHostAddress();
    }
}
