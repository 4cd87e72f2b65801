package io.vpccni.ipamd.doctor;

import java.util.ArrayList;
import java.util.List;

/** What the node's own configuration files set up against pods: nm-cloud-setup, and udev's MAC policy for veths. */
final class NodeFileChecks {
    private NodeFileChecks() {
    }

    static List<Finding> nmCloudSetup(UnitFacts units) {
        if (!units.dirExists()) {
            return List.of(Finding.ok("nm-cloud-setup", "nm-cloud-setup", "not checked: " + units.dir() + " does not exist",
                    List.of("mount the host's /etc/systemd/system read-only and set " + DoctorSettings.SYSTEMD_SYSTEM_DIR + " to it")));
        }
        if (units.enabled().isEmpty()) {
            return List.of(Finding.ok("nm-cloud-setup", "nm-cloud-setup", "nm-cloud-setup is not enabled",
                    List.of("no nm-cloud-setup.timer or .service in " + units.dir() + "/*.wants")));
        }
        return List.of(Finding.problem("nm-cloud-setup", "nm-cloud-setup", "nm-cloud-setup is enabled: each run rewrites the node's policy"
                        + " rules and routes (its tables 30200 and 30400) and removes the pods' rules", units.enabled(),
                "systemctl disable --now nm-cloud-setup.timer nm-cloud-setup.service, then restart aws-node so it re-wires what was removed."));
    }

    static List<Finding> macPolicy(MacPolicyFacts policy) {
        var evidence = new ArrayList<String>();
        evidence.add(policy.read().isEmpty() ? "no " + MacPolicyFacts.DEFAULT_LINK + " or drop-in in the .network directories"
                : "read, in order: " + String.join(", ", policy.read()));
        if (policy.policy().isEmpty()) {
            return List.of(Finding.ok("veth-mac-policy", MacPolicyFacts.DEFAULT_LINK, "udev sets no MACAddressPolicy for veths", evidence));
        }
        evidence.add(policy.where() + ": MACAddressPolicy=" + policy.policy());
        if (policy.policy().equals("persistent")) {
            return List.of(Finding.ok("veth-mac-policy", MacPolicyFacts.DEFAULT_LINK, "udev would give each new veth a MAC of its own"
                    + " (MACAddressPolicy=persistent), which breaks the pod's neighbour entry for its gateway; aws-node sets an explicit"
                    + " random MAC on every host veth it creates, which udev leaves alone, so nothing to change", evidence));
        }
        return List.of(Finding.ok("veth-mac-policy", MacPolicyFacts.DEFAULT_LINK, "udev leaves veth MACs to their creator (MACAddressPolicy="
                + policy.policy() + ")", evidence));
    }
}
