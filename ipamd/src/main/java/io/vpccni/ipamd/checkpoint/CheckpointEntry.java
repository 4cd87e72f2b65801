package io.vpccni.ipamd.checkpoint;

import java.net.Inet6Address;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One address held by one attachment, as upstream's checkpoint records it.
 *
 * <p>The key is {@code (networkName, containerId, ifName)}, the CNI spec's primary key. {@code ipv4} is a dotted
 * quad and {@code ipv6} an IPv6 literal; either may be empty, not both. The strings are kept exactly as written,
 * not normalised, so a file reads back and writes out unchanged. {@code interfacesCount} is 0 in files written
 * before upstream recorded it; such an entry stands for one interface. {@code hostVeth} is ours (upstream ignores
 * it): the pod's host veth, "" when not recorded.
 */
public record CheckpointEntry(
        String networkName,
        String containerId,
        String ifName,
        String ipv4,
        String ipv6,
        long allocationTimestampNanos,
        String podNamespace,
        String podName,
        int interfacesCount,
        String hostVeth) {

    // Decimal octets only, without leading zeros: "010" is octal to some parsers and decimal to others,
    // and an address that two readers disagree on must not be trusted.
    private static final Pattern DOTTED_QUAD =
            Pattern.compile("(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

    /** @throws IllegalArgumentException when an address is malformed, or both are empty */
    public CheckpointEntry {
        networkName = Objects.requireNonNullElse(networkName, "");
        containerId = Objects.requireNonNullElse(containerId, "");
        ifName = Objects.requireNonNullElse(ifName, "");
        ipv4 = Objects.requireNonNullElse(ipv4, "");
        ipv6 = Objects.requireNonNullElse(ipv6, "");
        podNamespace = Objects.requireNonNullElse(podNamespace, "");
        podName = Objects.requireNonNullElse(podName, "");
        hostVeth = Objects.requireNonNullElse(hostVeth, "");
        if (ipv4.isEmpty() && ipv6.isEmpty()) {
            throw new IllegalArgumentException("has neither an ipv4 nor an ipv6 address");
        }
        if (!ipv4.isEmpty() && !DOTTED_QUAD.matcher(ipv4).matches()) {
            throw new IllegalArgumentException("ipv4 \"" + ipv4 + "\" is not a dotted-quad IPv4 address");
        }
        if (!ipv6.isEmpty() && !isIpv6Literal(ipv6)) {
            throw new IllegalArgumentException("ipv6 \"" + ipv6 + "\" is not an IPv6 address");
        }
        if (interfacesCount < 0) {
            throw new IllegalArgumentException("interfacesCount " + interfacesCount + " is negative");
        }
    }

    /** An entry without a recorded host veth, as upstream writes them. */
    public CheckpointEntry(String networkName, String containerId, String ifName, String ipv4, String ipv6,
            long allocationTimestampNanos, String podNamespace, String podName, int interfacesCount) {
        this(networkName, containerId, ifName, ipv4, ipv6, allocationTimestampNanos, podNamespace, podName, interfacesCount, "");
    }

    /** An IPv4 entry: the common case. */
    public static CheckpointEntry ipv4(String networkName, String containerId, String ifName, String ipv4,
            long allocationTimestampNanos, String podNamespace, String podName, int interfacesCount) {
        return new CheckpointEntry(networkName, containerId, ifName, ipv4, "", allocationTimestampNanos,
                podNamespace, podName, interfacesCount);
    }

    // A pod's address is a plain literal: no brackets, no zone, not IPv4-mapped (that would be an ipv4).
    private static boolean isIpv6Literal(String s) {
        if (s.indexOf(':') < 0 || s.indexOf('%') >= 0 || s.indexOf('[') >= 0) {
            return false;
        }
        try {
            return Inet6Address.ofLiteral(s) instanceof Inet6Address;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
