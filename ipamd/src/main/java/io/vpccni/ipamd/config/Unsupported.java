package io.vpccni.ipamd.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Upstream settings this daemon does not implement. Asking for one of those features stops the daemon with
 * a message naming it, rather than running without it; a setting that is ignored by design is logged once.
 */
public final class Unsupported {
    private static final Logger log = LoggerFactory.getLogger(Unsupported.class);

    /** A feature that is on when its variable has the value {@code on}. */
    private record Feature(String variable, boolean defaultValue, boolean on, String what) {
    }

    private static final List<Feature> FEATURES = List.of(
            new Feature("ENABLE_IPv6", false, true, "IPv6 pods"),
            new Feature("ENABLE_IPv4", true, false, "turning IPv4 off (this daemon serves IPv4 pods only)"),
            new Feature("ENABLE_POD_ENI", false, true, "security groups for pods (trunk and branch ENIs)"),
            new Feature("ENABLE_MULTI_NIC", false, true, "pods on network cards other than 0"),
            new Feature("ENABLE_V6_EGRESS", false, true, "IPv6 egress for IPv4 pods (the egress plugin)"));

    /** Read by others (the conflist installer, the network policy agent) or decided by the node itself. */
    private static final Map<String, String> IGNORED = Map.of(
            "ENABLE_NFTABLES", "the iptables backend is detected from the node's rules on every pass",
            "NETWORK_POLICY_ENFORCING_MODE", "network policy is the network policy agent's");

    private Unsupported() {
    }

    /** @throws IllegalArgumentException naming every unsupported feature the environment asks for */
    public static void check(Map<String, String> env) {
        var asked = new ArrayList<String>();
        for (var f : FEATURES) {
            if (Env.bool(env, f.variable(), f.defaultValue()) == f.on() && f.on() != f.defaultValue()) {
                asked.add(f.variable() + "=" + env.get(f.variable()) + " (" + f.what() + ")");
            }
        }
        if (!asked.isEmpty()) {
            throw new IllegalArgumentException("not supported yet: " + String.join("; ", asked)
                    + ". Remove the setting, or run upstream's aws-node on this node");
        }
        IGNORED.forEach((name, why) -> {
            if (Env.get(env, name) != null) {
                log.info("{}='{}' is ignored: {}", name, env.get(name), why);
            }
        });
    }
}
