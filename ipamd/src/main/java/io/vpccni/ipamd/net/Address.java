package io.vpccni.ipamd.net;

/** An IPv4 address on a link. */
public record Address(int linkIndex, IpPrefix prefix) {
}
