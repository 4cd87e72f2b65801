package io.vpccni.ipamd.net;

/**
 * An IPv4 policy rule that looks up {@code table}: {@code src}/{@code dst} null mean "all";
 * {@code fwmask} 0 means no fwmark match.
 */
public record Rule(int priority, IpPrefix src, IpPrefix dst, int table, int fwmark, int fwmask) {
    public static Rule from(int priority, IpPrefix src, int table) {
        return new Rule(priority, src, null, table, 0, 0);
    }

    public static Rule to(int priority, IpPrefix dst, int table) {
        return new Rule(priority, null, dst, table, 0, 0);
    }

    @Override
    public String toString() {
        return "rule " + priority + (src == null ? "" : " from " + src) + (dst == null ? "" : " to " + dst)
                + (fwmask == 0 ? "" : " fwmark 0x" + Integer.toHexString(fwmark) + "/0x" + Integer.toHexString(fwmask))
                + " lookup " + table;
    }
}
