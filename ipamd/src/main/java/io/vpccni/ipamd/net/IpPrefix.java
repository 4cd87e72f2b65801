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

    /** The same prefix with its host bits cleared, "10.0.3.7/16" → "10.0.0.0/16", as the kernel and iptables store it. */
    public IpPrefix network() {
        var b = address.getAddress();
        var v = (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
        var masked = length == 0 ? 0 : v & (-1 << (32 - length));
        return new IpPrefix(ipv4(new byte[]{(byte) (masked >>> 24), (byte) (masked >>> 16), (byte) (masked >>> 8), (byte) masked}), length);
    }

    public boolean isDefault() {
        return length == 0;
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + length;
    }
}
