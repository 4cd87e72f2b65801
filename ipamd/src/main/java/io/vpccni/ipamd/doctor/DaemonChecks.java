package io.vpccni.ipamd.doctor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Whether the daemon serves: its CNI STATUS, its introspection, and the doctor's own reading of its settings. */
final class DaemonChecks {
    private static final String LOGS = "kubectl logs -n kube-system <aws-node pod> -c aws-node";

    private DaemonChecks() {
    }

    static List<Finding> settings(DoctorSettings settings) {
        return settings.errors().stream().map(e -> Finding.problem("settings", "aws-node environment",
                "aws-k8s-agent refuses to start with this environment: " + e, List.of(e),
                "Correct the variable in the aws-node DaemonSet (or the chart's env values); the doctor used its default meanwhile.")).toList();
    }

    static List<Finding> status(Answer<DaemonStatus> status) {
        return switch (status) {
            case Answer.Failed<DaemonStatus> f -> List.of(Finding.problem("daemon-status", "aws-k8s-agent",
                    "aws-k8s-agent does not answer CNI STATUS: no pod on this node can get an address or be deleted cleanly",
                    List.of(f.why()), "Check that the aws-node pod runs and why its daemon stopped (" + LOGS
                            + " --previous); the plugin and the daemon must use the same IPAMD_SOCKET_PATH."));
            case Answer.Got<DaemonStatus> g when g.value().ready() -> List.of(Finding.ok("daemon-status", "aws-k8s-agent",
                    "the pool is open: " + Plural.of(g.value().availableAddresses(), "address", "addresses") + " free, " + g.value().assignedAddresses() + " assigned",
                    List.of("CNI STATUS: ready")));
            case Answer.Got<DaemonStatus> g -> List.of(Finding.problem("daemon-status", "aws-k8s-agent",
                    "the pool is closed: new pods get no address until it opens", List.of("CNI STATUS: not ready: " + g.value().reason()),
                    "Act on the reason above (the daemon logs the same, " + LOGS + "); it opens by itself once the cause is gone."));
        };
    }

    static List<Finding> introspection(DoctorSettings settings, Answer<PodsView> pods, Answer<GuardView> guard) {
        if (settings.introspection() == null) {
            return List.of(Finding.warning("introspection", "aws-k8s-agent",
                    "the daemon's introspection is not read, so its pods and ENIs are not checked", List.of(settings.introspectionOff()),
                    "Serve it on loopback: unset DISABLE_INTROSPECTION and leave INTROSPECTION_BIND_ADDRESS at 127.0.0.1:61679."));
        }
        var out = new ArrayList<Finding>();
        var evidence = new ArrayList<String>();
        for (var answer : List.of(Map.entry("/v1/pods", pods), Map.entry("/v1/guard", guard))) {
            if (answer.getValue() instanceof Answer.Failed<?> f) {
                out.add(Finding.problem("introspection", "aws-k8s-agent " + answer.getKey(),
                        "the daemon's introspection does not answer as expected, so its pods or ENIs cannot be checked",
                        List.of(f.why()), "Check the daemon's log (" + LOGS + ") and that INTROSPECTION_BIND_ADDRESS ("
                                + settings.introspection() + ") is where it serves; an older daemon has no /v1/pods or /v1/guard."));
            }
        }
        if (pods instanceof Answer.Got<PodsView> p) {
            evidence.add("GET " + settings.introspection() + "/v1/pods: " + Plural.of(p.value().pods().size(), "pod"));
        }
        if (guard instanceof Answer.Got<GuardView> g) {
            evidence.add("GET " + settings.introspection() + "/v1/guard: " + Plural.of(g.value().enis().size(), "ENI"));
        }
        if (out.isEmpty()) {
            out.add(Finding.ok("introspection", "aws-k8s-agent", "the daemon's introspection answers", evidence));
        }
        return out;
    }
}
