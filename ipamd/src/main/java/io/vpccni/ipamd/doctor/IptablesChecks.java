package io.vpccni.ipamd.doctor;

import io.vpccni.ipamd.host.IptablesPlan;
import io.vpccni.ipamd.host.NatRules;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The two iptables backends: whether kube-proxy's rules and aws-node's are in the same one (rules in the other run
 * at another moment than everyone expects, upstream #3559), and whether filter FORWARD lets pod traffic through.
 */
final class IptablesChecks {
    private IptablesChecks() {
    }

    static List<Finding> backend(IptablesFacts facts) {
        var evidence = new ArrayList<String>();
        var kube = new ArrayList<IptablesFacts.Backend>();
        var ours = new ArrayList<IptablesFacts.Backend>();
        for (var b : facts.backends()) {
            if (!b.error().isEmpty()) {
                evidence.add(b.label() + ": unreadable (" + b.error() + ")");
                continue;
            }
            var chains = b.kubeChains();
            var mine = IptablesPlan.ourRules(b.save());
            var snat = b.tables().getOrDefault("nat", java.util.Map.of()).containsKey(NatRules.SNAT_CHAIN);
            evidence.add(b.label() + ": " + Plural.of(chains.size(), "KUBE- chain") + (chains.isEmpty() ? "" : " (" + String.join(", ",
                    chains.subList(0, Math.min(3, chains.size()))) + (chains.size() > 3 ? ", ..." : "") + ")") + "; " + Plural.of(mine, "aws-node rule") + (snat ? " (nat:" + NatRules.SNAT_CHAIN + ")" : ""));
            if (!chains.isEmpty()) {
                kube.add(b);
            }
            if (mine > 0) {
                ours.add(b);
            }
        }
        if (facts.backends().stream().allMatch(b -> !b.error().isEmpty())) {
            return List.of(Finding.warning("iptables-backend", "iptables", "not checked: neither iptables backend can be read", evidence,
                    "Run the doctor in the aws-node container, which has iptables-legacy-save and iptables-nft-save."));
        }
        if (ours.isEmpty()) {
            return List.of(Finding.warning("iptables-backend", "iptables", "no aws-node rules (" + NatRules.SNAT_CHAIN
                    + ", CONNMARK) in either backend: the host network pass has not run or failed", evidence,
                    "Look for iptables errors in aws-node's log; the pass runs at start and every 30 s."));
        }
        if (kube.isEmpty()) {
            return List.of(Finding.ok("iptables-backend", "iptables", "aws-node's rules are in " + labels(ours)
                    + "; kube-proxy has no KUBE- chains in iptables (nftables mode, or not running): nothing to disagree with", evidence));
        }
        if (kube.stream().noneMatch(ours::contains)) {
            return List.of(Finding.problem("iptables-backend", "iptables", "kube-proxy's rules are in " + labels(kube) + " but aws-node's in "
                    + labels(ours) + ": SNAT and connection marking run out of order with Service DNAT, so pods' Service and"
                    + " outbound traffic can leave by the wrong ENI or untranslated", evidence,
                    "aws-node follows the backend holding most rules at each pass (every 30 s): remove stale rules from the other backend"
                            + " (iptables-<backend>-save shows them; often an old kube-proxy's), or restart aws-node after kube-proxy."));
        }
        if (ours.size() > 1) {
            return List.of(Finding.warning("iptables-backend", "iptables", "aws-node's rules are in both backends", evidence,
                    "aws-node removes its rules from the backend the node does not use at its next pass (30 s); if they stay, its log says why."));
        }
        return List.of(Finding.ok("iptables-backend", "iptables", "kube-proxy and aws-node both use " + labels(ours), evidence));
    }

    /**
     * A DROP policy on filter FORWARD (Docker sets one) drops pods' new connections through the node unless a rule
     * accepts them: one without interface matches, or one for the pods' veths ({@code -i eni+}, {@code -o eni+}).
     */
    static List<Finding> forwardPolicy(IptablesFacts facts, String vethPrefix) {
        var out = new ArrayList<Finding>();
        var evidence = new ArrayList<String>();
        var accepting = Pattern.compile("(^|.* )-j ACCEPT( .*|$)");
        var pods = Pattern.compile("(^|.* )(! )?-[io] " + Pattern.quote(vethPrefix) + "\\+( .*|$)");
        var anyInterface = Pattern.compile("(^|.* )-[io] ");
        for (var b : facts.backends()) {
            if (!b.error().isEmpty()) {
                continue;
            }
            var forward = b.tables().getOrDefault("filter", java.util.Map.of()).get("FORWARD");
            if (forward == null) {
                evidence.add(b.label() + ": no filter FORWARD chain (policy ACCEPT)");
                continue;
            }
            evidence.add(b.label() + ": :FORWARD " + forward.policy() + ", " + forward.rules().size() + " rules");
            if (!forward.policy().equals("DROP")) {
                continue;
            }
            var accepts = forward.rules().stream().filter(r -> accepting.matcher(r).matches()
                    && (!anyInterface.matcher(r).find() || pods.matcher(r).matches()) && !r.contains("! -i " + vethPrefix)
                    && !r.contains("! -o " + vethPrefix)).toList();
            if (accepts.isEmpty()) {
                var e = new ArrayList<>(evidence);
                forward.rules().stream().limit(8).forEach(r -> e.add(b.label() + ": -A FORWARD " + r));
                out.add(Finding.warning("forward-policy", b.label() + " filter FORWARD", "the FORWARD policy is DROP and no rule accepts"
                        + " pod traffic: pods' new connections through the node (to other nodes, to the internet) are dropped", e,
                        b.label() + " -I FORWARD -i " + vethPrefix + "+ -j ACCEPT; " + b.label() + " -I FORWARD -o "
                                + vethPrefix + "+ -j ACCEPT (or, as EKS AMIs do, " + b.label() + " -P FORWARD ACCEPT)."));
            } else {
                evidence.add(b.label() + ": accepted by -A FORWARD " + accepts.getFirst());
            }
        }
        if (out.isEmpty()) {
            out.add(Finding.ok("forward-policy", "filter FORWARD", "filter FORWARD lets pod traffic through", evidence));
        }
        return out;
    }

    private static String labels(List<IptablesFacts.Backend> backends) {
        return String.join(" and ", backends.stream().map(IptablesFacts.Backend::label).toList());
    }
}
