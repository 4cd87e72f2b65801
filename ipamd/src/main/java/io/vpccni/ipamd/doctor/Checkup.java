package io.vpccni.ipamd.doctor;

import io.vpccni.ipamd.net.Route;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Runs every check on what was gathered, in the order a person reads the report: the daemon first, then its
 * ENIs and pods, then the node. Pure: the same facts give the same report. A part of the node that could not be
 * read is reported once, as a warning naming the checks it leaves undone.
 */
final class Checkup {
    private Checkup() {
    }

    static Report examine(DoctorSettings settings, Answer<DaemonStatus> status, Answer<PodsView> pods, Answer<GuardView> guard,
                          NodeFacts node) {
        var out = new ArrayList<Finding>();
        out.addAll(DaemonChecks.settings(settings));
        out.addAll(DaemonChecks.status(status));
        out.addAll(DaemonChecks.introspection(settings, pods, guard));
        var podsView = pods.orNull();
        var guardView = guard.orNull();
        if (podsView != null) {
            var instance = PoolCapacityCheck.limits(node.imds().instanceType());
            out.addAll(PoolCapacityCheck.findings(podsView.pool(), instance, settings));
        }
        if (guardView != null) {
            out.addAll(needs(node.owners(), "eni-owner", "who manages each ENI", owners -> EniOwnerCheck.findings(guardView, owners)));
            out.addAll(HealsCheck.findings(guardView));
        }
        out.addAll(needs(node.units(), "nm-cloud-setup", "whether nm-cloud-setup is enabled", NodeFileChecks::nmCloudSetup));
        if (node.kernel() instanceof Answer.Failed<KernelFacts> f) {
            out.add(Finding.warning("kernel", "rtnetlink", "not checked: the pods' and ENIs' rules and routes", List.of(f.why()),
                    "Run the doctor in the aws-node container (host network, NET_ADMIN)."));
        } else {
            var kernel = node.kernel().orNull();
            if (podsView != null) {
                out.addAll(PodWiringCheck.findings(podsView, kernel));
            }
            if (guardView != null) {
                out.addAll(EniRoutingCheck.findings(guardView, kernel));
            }
        }
        var offPrimary = podsView == null ? -1 : (int) podsView.pods().stream().filter(p -> p.routeTable() != Route.MAIN).count();
        out.addAll(needs(node.sysctls(), "sysctls", "ip_forward, rp_filter and conntrack", s -> {
            var found = new ArrayList<Finding>();
            found.addAll(SysctlChecks.ipForward(s));
            found.addAll(SysctlChecks.rpFilter(s, offPrimary));
            found.addAll(SysctlChecks.conntrack(s));
            return found;
        }));
        out.addAll(needs(node.iptables(), "iptables", "the iptables backends", t -> {
            var found = new ArrayList<Finding>();
            found.addAll(IptablesChecks.backend(t));
            found.addAll(IptablesChecks.forwardPolicy(t, settings.vethPrefix()));
            return found;
        }));
        out.addAll(needs(node.macPolicy(), "veth-mac-policy", "udev's MAC policy for veths", NodeFileChecks::macPolicy));
        out.addAll(CheckpointCheck.findings(node.checkpoint(), pods));
        out.addAll(ImdsCheck.findings(node.imds()));
        out.addAll(needs(node.conflist(), "conflist", "the CNI config", c -> ConflistCheck.findings(c, settings.socket())));
        return new Report(out);
    }

    private static <T> List<Finding> needs(Answer<T> facts, String check, String what, Function<T, List<Finding>> run) {
        return switch (facts) {
            case Answer.Got<T> g -> run.apply(g.value());
            case Answer.Failed<T> f -> List.of(Finding.warning(check, what, "not checked: " + what + " cannot be read", List.of(f.why()),
                    "Run the doctor in the aws-node container, which sees the host's files as the daemon does."));
        };
    }
}
