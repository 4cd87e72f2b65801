package io.vpccni.ipamd.doctor;

import java.util.ArrayList;
import java.util.List;

/** The kernel settings pods depend on: forwarding, reverse-path filtering on the primary interface, conntrack room. */
final class SysctlChecks {
    private SysctlChecks() {
    }

    static List<Finding> ipForward(SysctlFacts facts) {
        var name = SysctlFacts.name(SysctlFacts.IP_FORWARD);
        var value = facts.value(SysctlFacts.IP_FORWARD);
        if (value.isEmpty()) {
            return List.of(Finding.warning("ip-forward", "node", "not checked: " + name + " cannot be read",
                    List.of("no " + SysctlFacts.IP_FORWARD + " under the doctor's /proc/sys"), "Run the doctor in the aws-node container, which sees the host's /proc/sys."));
        }
        var evidence = List.of(name + " = " + value.get());
        if (value.get().equals("1")) {
            return List.of(Finding.ok("ip-forward", "node", "the node forwards IPv4: pod traffic can pass through it", evidence));
        }
        return List.of(Finding.problem("ip-forward", "node", name + " is " + value.get()
                        + ": the node forwards nothing, so no pod traffic leaves the node or reaches a pod from outside", evidence,
                "sysctl -w " + name + "=1, and keep it across reboots with a line " + name + "=1 in /etc/sysctl.d/99-kubernetes.conf."));
    }

    /**
     * The effective mode is the higher of "all" and the interface's. Strict (1) drops the replies to a pod on a
     * secondary ENI, which arrive on the primary interface while the route back to their source points elsewhere.
     */
    static List<Finding> rpFilter(SysctlFacts facts, int podsOffPrimary) {
        if (facts.primaryLink().isEmpty()) {
            return List.of(Finding.warning("rp-filter", "primary interface", "not checked: the primary interface is unknown",
                    List.of("neither the daemon's /v1/guard nor main's default route names it"), "Run the doctor again once aws-node serves."));
        }
        var link = facts.primaryLink();
        var allKey = SysctlFacts.RP_FILTER_ALL;
        var linkKey = SysctlFacts.rpFilter(link);
        var all = facts.value(allKey);
        var own = facts.value(linkKey);
        if (all.isEmpty() || own.isEmpty()) {
            return List.of(Finding.warning("rp-filter", link, "not checked: " + SysctlFacts.name(all.isEmpty() ? allKey : linkKey) + " cannot be read",
                    List.of(), "Run the doctor in the aws-node container, which sees the host's /proc/sys."));
        }
        var effective = Math.max(number(all.get()), number(own.get()));
        var evidence = List.of(SysctlFacts.name(allKey) + " = " + all.get(), SysctlFacts.name(linkKey) + " = " + own.get(),
                "effective (the higher) = " + effective + (effective == 1 ? " (strict)" : effective == 2 ? " (loose)" : " (off)"),
                podsOffPrimary < 0 ? "pods on secondary ENIs: unknown" : "pods on secondary ENIs: " + podsOffPrimary);
        if (effective != 1) {
            return List.of(Finding.ok("rp-filter", link, "reverse-path filtering on the primary interface lets replies to pods on secondary ENIs in", evidence));
        }
        var fix = "sysctl -w " + SysctlFacts.name(linkKey) + "=2 (loose; the higher of all and the interface counts, so 2 wins), and keep it with "
                + SysctlFacts.name(linkKey) + "=2 in /etc/sysctl.d: aws-node sets it at start, so something reset it since (a sysctl reload, a tuning agent).";
        var summary = "strict reverse-path filtering on " + link + " drops the replies to pods on secondary ENIs";
        return List.of(podsOffPrimary > 0
                ? Finding.problem("rp-filter", link, summary + " (" + Plural.of(podsOffPrimary, "pod is", "pods are") + " there now)", evidence, fix)
                : Finding.warning("rp-filter", link, summary + " (none there now; the next one will be cut off)", evidence, fix));
    }

    static List<Finding> conntrack(SysctlFacts facts) {
        var count = facts.value(SysctlFacts.CONNTRACK_COUNT);
        var max = facts.value(SysctlFacts.CONNTRACK_MAX);
        if (count.isEmpty() || max.isEmpty() || number(max.get()) <= 0) {
            return List.of(Finding.ok("conntrack", "node", "not checked: connection tracking is not loaded", List.of("no " + SysctlFacts.CONNTRACK_COUNT)));
        }
        var used = number(count.get());
        var limit = number(max.get());
        var percent = 100.0 * used / limit;
        var evidence = new ArrayList<>(List.of(SysctlFacts.name(SysctlFacts.CONNTRACK_COUNT) + " = " + used,
                SysctlFacts.name(SysctlFacts.CONNTRACK_MAX) + " = " + limit, String.format("%.0f %% full", percent)));
        var fix = "Raise net.netfilter.nf_conntrack_max (kube-proxy sets it from conntrack.maxPerCore), or find what opens so many"
                + " connections (conntrack -L | awk '{print $4}' | sort | uniq -c | sort -n | tail).";
        if (percent > 90) {
            return List.of(Finding.problem("conntrack", "node", "the connection-tracking table is nearly full: new connections are dropped"
                    + " once it is (the kernel logs \"nf_conntrack: table full, dropping packet\")", evidence, fix));
        }
        if (percent > 75) {
            return List.of(Finding.warning("conntrack", "node", "the connection-tracking table is more than three quarters full", evidence, fix));
        }
        return List.of(Finding.ok("conntrack", "node", "the connection-tracking table has room", evidence));
    }

    private static long number(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
