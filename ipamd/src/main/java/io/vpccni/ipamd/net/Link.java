package io.vpccni.ipamd.net;

/** A network interface as rtnetlink reports it; {@code kind} is "veth", "bridge", ... or "" for physical ones. */
public record Link(int index, String name, String mac, int mtu, boolean up, String kind) {
}
