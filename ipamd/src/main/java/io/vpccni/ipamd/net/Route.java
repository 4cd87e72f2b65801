package io.vpccni.ipamd.net;

import java.net.Inet4Address;

/**
 * An IPv4 route. {@code gateway} is null for a direct route; {@code oif} 0 means "any device";
 * {@code scope} is RT_SCOPE_* (0 universe, 253 link).
 */
public record Route(IpPrefix dst, Inet4Address gateway, int oif, int table, int scope) {
    public static final int MAIN = 254;
    public static final int SCOPE_UNIVERSE = 0;
    public static final int SCOPE_LINK = 253;

    /** {@code dst dev oif scope link}. */
    public static Route link(IpPrefix dst, int oif, int table) {
        return new Route(dst, null, oif, table, SCOPE_LINK);
    }

    /** {@code dst via gateway dev oif}. */
    public static Route via(IpPrefix dst, Inet4Address gateway, int oif, int table) {
        return new Route(dst, gateway, oif, table, SCOPE_UNIVERSE);
    }

    public String describe(String devName) {
        return dst + (gateway == null ? "" : " via " + gateway.getHostAddress()) + (oif == 0 ? "" : " dev " + devName)
                + " table " + table + (scope == SCOPE_LINK ? " scope link" : "");
    }
}
