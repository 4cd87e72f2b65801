package io.vpccni.ipamd.doctor;

import io.vpccni.ipamd.net.Route;
import io.vpccni.ipamd.net.Rule;

/** The ip(8) command that puts a rule or route back by hand, for a finding's fix. */
final class Commands {
    private Commands() {
    }

    static String add(Rule rule) {
        return "ip rule add" + (rule.src() == null ? "" : " from " + rule.src()) + (rule.dst() == null ? "" : " to " + rule.dst())
                + " lookup " + table(rule.table()) + " priority " + rule.priority();
    }

    /** {@code ip rule} as it lists a rule: "1536: from 10.0.1.5 lookup 2". */
    static String listed(Rule rule) {
        return rule.priority() + ":" + (rule.src() == null ? " from all" : " from " + host(rule.src().toString()))
                + (rule.dst() == null ? "" : " to " + host(rule.dst().toString()))
                + (rule.fwmask() == 0 ? "" : " fwmark 0x" + Integer.toHexString(rule.fwmark()) + "/0x" + Integer.toHexString(rule.fwmask()))
                + " lookup " + table(rule.table());
    }

    static String replace(Route route, String dev) {
        return "ip route replace " + (route.dst().isDefault() ? "default" : route.dst().toString())
                + (route.gateway() == null ? "" : " via " + route.gateway().getHostAddress()) + " dev " + dev
                + (route.table() == Route.MAIN ? "" : " table " + route.table()) + (route.scope() == Route.SCOPE_LINK ? " scope link" : "");
    }

    static String table(int table) {
        return table == Route.MAIN ? "main" : Integer.toString(table);
    }

    private static String host(String prefix) {
        return prefix.endsWith("/32") ? prefix.substring(0, prefix.length() - 3) : prefix;
    }
}
