package io.vpccni.ipamd.net;

import java.security.SecureRandom;

/** MAC addresses as "aa:bb:cc:dd:ee:ff" text, and random locally administered ones. */
public final class Macs {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Macs() {
    }

    public static String format(byte[] mac) {
        if (mac == null) {
            return "";
        }
        var sb = new StringBuilder(17);
        for (var i = 0; i < mac.length; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(Character.forDigit((mac[i] >> 4) & 0xf, 16)).append(Character.forDigit(mac[i] & 0xf, 16));
        }
        return sb.toString();
    }

    public static byte[] parse(String mac) {
        var parts = mac.split(":");
        if (parts.length != 6) {
            throw new IllegalArgumentException("'" + mac + "' is not a MAC address");
        }
        var out = new byte[6];
        for (var i = 0; i < 6; i++) {
            if (parts[i].length() != 2) {
                throw new IllegalArgumentException("'" + mac + "' is not a MAC address");
            }
            out[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return out;
    }

    /**
     * A random unicast, locally administered MAC. Setting one explicitly keeps udev's
     * MACAddressPolicy=persistent from rewriting the address after the neighbour entry was made.
     */
    public static String randomLocal() {
        var mac = new byte[6];
        RANDOM.nextBytes(mac);
        mac[0] = (byte) ((mac[0] & 0xfe) | 0x02);
        return format(mac);
    }
}
