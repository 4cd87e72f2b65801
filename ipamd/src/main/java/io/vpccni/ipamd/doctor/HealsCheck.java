package io.vpccni.ipamd.doctor;

import java.util.ArrayList;
import java.util.List;

/**
 * What the daemon's healer had to put back since it started. Rules it restored mean something keeps flushing
 * foreign rules (a systemd-networkd restart or a new link it configures, nm-cloud-setup): pods lose their traffic
 * for the milliseconds until the healer repairs it, so the cause is worth removing.
 */
final class HealsCheck {
    static final String ID = "heals";
    private static final int SHOWN = 5;

    private HealsCheck() {
    }

    static List<Finding> findings(GuardView guard) {
        var restored = guard.heals().restored();
        var evidence = new ArrayList<String>();
        evidence.add("daemon: restored since start: " + Plural.of(restored.rules(), "rule") + ", " + Plural.of(restored.routes(), "route")
                + ", " + Plural.of(restored.addresses(), "address", "addresses"));
        guard.heals().recent().stream().limit(SHOWN).forEach(h -> evidence.add("daemon: at " + h.at() + " (" + h.cause() + "): "
                + Plural.of(h.rules(), "rule") + ", " + Plural.of(h.routes(), "route") + ", " + Plural.of(h.addresses(), "address", "addresses")));
        if (restored.rules() + restored.routes() + restored.addresses() == 0) {
            return List.of(Finding.ok(ID, "aws-k8s-agent", "the daemon has had nothing to put back since it started", evidence));
        }
        if (restored.rules() == 0) {
            return List.of(Finding.ok(ID, "aws-k8s-agent", "the daemon put back routes or addresses someone removed (an ENI's, a pod's)",
                    evidence));
        }
        return List.of(Finding.warning(ID, "aws-k8s-agent", "something keeps removing the node's policy rules; the daemon put them back,"
                        + " but pods lose their traffic until it does", evidence,
                "If it is systemd-networkd (a restart, or a new link it configures), stop it touching rules it did not make: write"
                        + " /etc/systemd/networkd.conf.d/80-aws-vpc-cni.conf with \"[Network]\", \"ManageForeignRoutingPolicyRules=no\" and"
                        + " \"ManageForeignRoutes=no\" (as the EKS AMI and kOps do) and restart systemd-networkd; if nm-cloud-setup, disable it."));
    }
}
