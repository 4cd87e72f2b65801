package io.vpccni.ipamd.net;

import java.net.Inet4Address;

/** An ARP entry: {@code ip lladdr mac dev linkIndex}, with its NUD state (0x80 permanent). */
public record Neighbour(int linkIndex, Inet4Address ip, String mac, int state) {
    public static final int PERMANENT = 0x80;

    public boolean permanent() {
        return (state & PERMANENT) != 0;
    }
}
