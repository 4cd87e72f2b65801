package io.vpccni.ipamd.doctor;

import io.vpccni.ipamd.guard.Owner;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Who manages each ENI's link, as the doctor sees it, against what the daemon's guard decided. A secondary ENI
 * another manager owns must be refused (that manager removes addresses, routes and rules it did not make), and a
 * refused one is capacity lost: both are problems, each with the way to hand the link back to the CNI.
 */
final class EniOwnerCheck {
    static final String ID = "eni-owner";

    private EniOwnerCheck() {
    }

    static List<Finding> findings(GuardView guard, Map<String, ObservedOwner> observed) {
        var out = new ArrayList<Finding>();
        for (var eni : guard.enis()) {
            var seen = observed.get(eni.eniId());
            var object = eni.eniId() + (seen == null || seen.link().isEmpty() ? "" : " (" + seen.link() + ")");
            var daemonSays = "daemon /v1/guard: owner " + eni.owner() + (eni.ownerDetail().isEmpty() ? "" : " (" + eni.ownerDetail() + ")")
                    + ", " + (eni.refused() ? "refused" : "not refused");
            if (seen == null) {
                out.add(Finding.ok(ID, object, "not checked: the kernel has no link with the ENI's MAC " + eni.mac() + " (attaching or detaching)",
                        List.of(daemonSays)));
                continue;
            }
            var evidence = new ArrayList<>(seen.evidence());
            evidence.add(daemonSays);
            var owner = seen.owner();
            if (eni.primary()) {
                out.add(Finding.ok(ID, object, "the primary ENI carries the node's own address; its manager is expected: "
                        + owner.describe(), evidence));
            } else if (!owner.acceptable() && !eni.refused()) {
                out.add(Finding.problem(ID, object, owner.describe() + " manages this ENI, yet the daemon offers it to pods: that manager"
                        + " removes the pods' addresses, routes and rules whenever it (re)configures the link", evidence, fix(eni, owner)));
            } else if (!owner.acceptable()) {
                out.add(Finding.problem(ID, object, "the guard refuses this ENI because " + owner.describe()
                        + " manages it: no new pod gets one of its addresses", evidence, fix(eni, owner)));
            } else if (eni.refused()) {
                out.add(Finding.warning(ID, object, "the guard refuses this ENI, but its link now looks unmanaged: "
                        + owner.describe(), evidence, "Run the doctor again in 10 s (the guard re-checks that often); if it is still refused, "
                        + "the aws-node log's EniGuard lines say which manager it saw."));
            } else {
                out.add(Finding.ok(ID, object, "no other manager claims it: " + owner.describe(), evidence));
            }
        }
        return out;
    }

    private static String fix(GuardView.Eni eni, Owner owner) {
        if (owner instanceof Owner.NetworkManager) {
            return "Tell NetworkManager to leave it: put \"[keyfile]\" and \"unmanaged-devices=mac:" + eni.mac()
                    + "\" in /etc/NetworkManager/conf.d/99-aws-vpc-cni.conf, run nmcli general reload, then restart aws-node so it sets the ENI up again.";
        }
        var file = "/etc/systemd/network/01-aws-vpc-cni-" + eni.eniId() + ".network";
        return "Make systemd-networkd leave it: printf '[Match]\\nMACAddress=" + eni.mac() + "\\n\\n[Link]\\nUnmanaged=yes\\n' > " + file
                + " (it sorts before nodeadm's 70-eks-* and ec2-net-utils' files), then networkctl reload and restart aws-node so it sets the ENI"
                + " up again; or set GUARD_WRITE_UNMANAGED_NETWORK_FILES=true (chart value writeUnmanagedNetworkFiles) so aws-node writes"
                + " that file for every ENI it attaches.";
    }
}
