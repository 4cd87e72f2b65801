package io.vpccni.ipamd.net;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 address with a prefix length, "10.0.1.5/32". The family of every address, route and rule here. */
public record IpPrefix(Inet4Address address, int length) {
    public static final IpPrefix DEFAULT = of("0.0.0.0/0");

    public IpPrefix {
        if (length < 0 || length > 32) {
            throw new IllegalArgumentException("prefix length " + length + " is outside 0..32");
        }
    }

    public static IpPrefix host(Inet4Address address) {
        return new IpPrefix(address, 32);
    }

    /** Parses "a.b.c.d/n" or "a.b.c.d" (a /32); only dotted-quad literals, never a name lookup. */
    public static IpPrefix of(String text) {
        var slash = text.indexOf('/');
        var ip = slash < 0 ? text : text.substring(0, slash);
        var length = slash < 0 ? 32 : Integer.parseInt(text.substring(slash + 1));
        return new IpPrefix(ipv4(ip), length);
    }

    public static Inet4Address ipv4(String dotted) {
        var parts = dotted.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + dotted + "' is not an IPv4 address");
        }
        var bytes = new byte[4];
        for (var i = 0; i < 4; i++) {
            int v;
            try {
                v = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + dotted + "' is not an IPv4 address");
            }
            if (v < 0 || v > 255 || parts[i].isEmpty() || parts[i].length() > 3) {
                throw new IllegalArgumentException("'" + dotted + "' is not an IPv4 address");
            }
            bytes[i] = (byte) v;
        }
        return ipv4(bytes);
    }

    public static Inet4Address ipv4(byte[] bytes) {
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv4 address: " + bytes.length + " bytes", e);
        }
    }

    public boolean isDefault() {
        return length == 0;
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + length;
    }
}
