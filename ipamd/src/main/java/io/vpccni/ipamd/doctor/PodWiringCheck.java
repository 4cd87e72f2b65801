package io.vpccni.ipamd.doctor;

import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.net.Route;
import io.vpccni.ipamd.net.Rule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every pod the daemon holds, verified in the kernel on its own rather than taken from the daemon: rule 512
 * {@code to <ip> lookup main}, rule 1536 {@code from <ip> lookup <table>} off the primary ENI, the host route
 * {@code <ip>/32 dev <veth>} in main, the host veth present and up; and what the daemon's own check of each pod
 * found. One finding per broken pod and aspect; an aspect no pod fails is one OK finding for all.
 */
final class PodWiringCheck {
    static final String RULES = "pod-rules";
    static final String ROUTE = "pod-route";
    static final String VETH = "pod-veth";
    static final String DRIFT = "pod-drift";
    private static final int SHOWN = 10;
    private static final String RESTART = "Restart aws-node (kubectl delete pod -n kube-system <aws-node pod>): at start it re-wires every pod it holds;"
            + " its healer should have done so within seconds, so its log says why it did not. By hand, now: ";

    private PodWiringCheck() {
    }

    static List<Finding> findings(PodsView view, KernelFacts kernel) {
        var problems = new LinkedHashMap<String, List<Finding>>();
        for (var id : List.of(RULES, ROUTE, VETH, DRIFT)) {
            problems.put(id, new ArrayList<>());
        }
        var checked = new ArrayList<String>();
        for (var pod : view.pods()) {
            if (pod.ip().isEmpty()) {
                continue;  // an IPv6-only attachment: this node's pods are IPv4
            }
            IpPrefix ip;
            try {
                ip = IpPrefix.of(pod.ip() + "/32");
            } catch (IllegalArgumentException e) {
                problems.get(DRIFT).add(Finding.warning(DRIFT, pod.describe(), "the daemon reports an address that is not IPv4: " + pod.ip(),
                        List.of(daemon(pod)), "Report this with the daemon's /v1/pods output: it is a daemon bug."));
                continue;
            }
            checked.add(pod.namespace() + "/" + pod.name() + " " + pod.ip() + " table " + Commands.table(pod.routeTable()));
            rules(pod, ip, kernel).ifPresent(problems.get(RULES)::add);
            var veth = veth(pod, kernel);
            veth.ifPresent(problems.get(VETH)::add);
            if (veth.isEmpty() || kernel.link(pod.hostVeth()).isPresent()) {
                route(pod, ip, kernel).ifPresent(problems.get(ROUTE)::add);
            }
            drifts(pod).ifPresent(problems.get(DRIFT)::add);
        }
        var out = new ArrayList<Finding>();
        problems.values().forEach(out::addAll);
        if (checked.isEmpty()) {
            out.add(Finding.ok(RULES, "pods", "the daemon holds no pods: nothing to verify", List.of("GET /v1/pods: no pods")));
            return out;
        }
        var shown = new ArrayList<>(checked.subList(0, Math.min(SHOWN, checked.size())));
        if (checked.size() > SHOWN) {
            shown.add("... and " + (checked.size() - SHOWN) + " more");
        }
        var what = Map.of(RULES, "every pod has rule 512 and, off the primary ENI, rule 1536 into its ENI's table",
                ROUTE, "every pod has its host route in main through its veth",
                VETH, "every pod's host veth exists and is up",
                DRIFT, "the daemon's own check finds no drift on any pod");
        for (var e : problems.entrySet()) {
            if (e.getValue().isEmpty()) {
                out.add(Finding.ok(e.getKey(), Plural.of(checked.size(), "pod"), what.get(e.getKey()), shown));
            }
        }
        return out;
    }

    private static java.util.Optional<Finding> rules(PodsView.Pod pod, IpPrefix ip, KernelFacts kernel) {
        var wanted = new ArrayList<Rule>();
        wanted.add(Rule.to(512, ip, Route.MAIN));
        if (pod.routeTable() != Route.MAIN) {
            wanted.add(Rule.from(1536, ip, pod.routeTable()));
        }
        var missing = wanted.stream().filter(r -> !kernel.hasRule(r)).toList();
        if (missing.isEmpty()) {
            return java.util.Optional.empty();
        }
        var evidence = new ArrayList<String>();
        missing.forEach(r -> evidence.add("kernel: no rule \"" + Commands.listed(r) + "\""));
        var present = kernel.rulesFor(ip);
        evidence.add(present.isEmpty() ? "kernel: no rule names " + pod.ip()
                : "kernel: rules naming " + pod.ip() + ": " + String.join("; ", present.stream().map(Commands::listed).toList()));
        evidence.add(daemon(pod));
        var summary = String.join(" and ", missing.stream().map(r -> "rule " + Commands.listed(r)).toList()) + " missing: "
                + (missing.stream().anyMatch(r -> r.priority() == 1536)
                        ? "the pod's traffic leaves by the primary ENI instead of " + pod.eniId() + " and its replies are dropped"
                        : "traffic to the pod is looked up in an ENI's table instead of reaching its veth");
        return java.util.Optional.of(Finding.problem(RULES, pod.describe(), summary, evidence,
                RESTART + String.join("; ", missing.stream().map(Commands::add).toList())));
    }

    private static java.util.Optional<Finding> route(PodsView.Pod pod, IpPrefix ip, KernelFacts kernel) {
        if (pod.hostVeth().isEmpty()) {
            return java.util.Optional.empty();  // no veth recorded: the veth finding says so
        }
        var veth = kernel.link(pod.hostVeth());
        var routes = kernel.table(Route.MAIN).stream().filter(r -> r.dst().equals(ip)).toList();
        if (veth.isPresent() && routes.stream().anyMatch(r -> r.oif() == veth.get().index() && r.gateway() == null)) {
            return java.util.Optional.empty();
        }
        var wanted = Route.link(ip, veth.map(l -> l.index()).orElse(0), Route.MAIN);
        var evidence = new ArrayList<String>();
        evidence.add("kernel: no route \"" + pod.ip() + " dev " + pod.hostVeth() + " scope link\" in main");
        evidence.add(routes.isEmpty() ? "kernel: main has no route for " + pod.ip()
                : "kernel: main has instead: " + String.join("; ", routes.stream().map(kernel::describe).toList()));
        evidence.add(daemon(pod));
        return java.util.Optional.of(Finding.problem(ROUTE, pod.describe(),
                "the host route to the pod is missing or points elsewhere: traffic to " + pod.ip() + " does not reach it",
                evidence, RESTART + Commands.replace(wanted, pod.hostVeth())));
    }

    private static java.util.Optional<Finding> veth(PodsView.Pod pod, KernelFacts kernel) {
        if (pod.hostVeth().isEmpty()) {
            return java.util.Optional.of(Finding.warning(VETH, pod.describe(), "the daemon has no host veth recorded for this pod, so its veth and route are not checked",
                    List.of(daemon(pod)), "Nothing to do if the pod works; a daemon restart records it again."));
        }
        var link = kernel.link(pod.hostVeth());
        if (link.isEmpty()) {
            return java.util.Optional.of(Finding.problem(VETH, pod.describe(), "host veth " + pod.hostVeth()
                    + " does not exist: the pod has no network (its sandbox is gone, or was never wired)",
                    List.of("kernel: no link " + pod.hostVeth(), daemon(pod)),
                    "If the pod still runs, delete it so it is recreated (kubectl delete pod -n " + pod.namespace() + " " + pod.name()
                            + "); if it is gone, its DEL never reached aws-node: the runtime's and aws-node's logs say why."));
        }
        if (!link.get().up()) {
            return java.util.Optional.of(Finding.problem(VETH, pod.describe(), "host veth " + pod.hostVeth() + " is down: the pod has no network",
                    List.of("kernel: " + pod.hostVeth() + " (index " + link.get().index() + ") is not up", daemon(pod)),
                    "ip link set " + pod.hostVeth() + " up"));
        }
        return java.util.Optional.empty();
    }

    private static java.util.Optional<Finding> drifts(PodsView.Pod pod) {
        if (pod.wiring().healthy()) {
            return java.util.Optional.empty();
        }
        var evidence = new ArrayList<String>();
        pod.wiring().drifts().forEach(d -> evidence.add("daemon (" + pod.wiring().checked() + "): " + d.object()
                + ": expected " + d.expected() + ", found " + d.actual()));
        if (pod.wiring().drifts().isEmpty()) {
            evidence.add("daemon (" + pod.wiring().checked() + "): unhealthy, no drift named");
        }
        evidence.add(daemon(pod));
        return java.util.Optional.of(Finding.problem(DRIFT, pod.describe(), "the daemon's own check of this pod finds its wiring differs from what it should be",
                evidence, "Restart aws-node to have it re-wire the pod, or delete the pod so it is recreated (kubectl delete pod -n "
                        + pod.namespace() + " " + pod.name() + ")."));
    }

    private static String daemon(PodsView.Pod pod) {
        return "daemon: " + pod.ip() + " on " + pod.eniId() + " (device " + pod.deviceNumber() + ", table "
                + Commands.table(pod.routeTable()) + "), host veth " + (pod.hostVeth().isEmpty() ? "unrecorded" : pod.hostVeth())
                + ", container " + abbreviate(pod.containerId()) + " " + pod.ifName() + ", since " + pod.assignedAt();
    }

    private static String abbreviate(String containerId) {
        return containerId.length() > 12 ? containerId.substring(0, 12) : containerId;
    }
}
