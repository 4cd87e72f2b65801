package io.vpccni.ipamd.doctor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kernel settings the checks look at, keyed by their path under /proc/sys ({@code net/ipv4/ip_forward}); a key
 * that does not exist (a module not loaded, an interface gone) is absent. {@code primaryLink} is "" when unknown.
 */
public record SysctlFacts(String primaryLink, Map<String, String> values) {
    static final String IP_FORWARD = "net/ipv4/ip_forward";
    static final String RP_FILTER_ALL = "net/ipv4/conf/all/rp_filter";
    static final String CONNTRACK_COUNT = "net/netfilter/nf_conntrack_count";
    static final String CONNTRACK_MAX = "net/netfilter/nf_conntrack_max";

    public SysctlFacts {
        values = Map.copyOf(values);
    }

    static String rpFilter(String link) {
        return "net/ipv4/conf/" + link + "/rp_filter";
    }

    Optional<String> value(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** "net.ipv4.ip_forward", as sysctl(8) names it. */
    static String name(String key) {
        return key.replace('/', '.');
    }

    /** Reads the keys the checks need under {@code root} ({@code /proc/sys}, or a tree of the same shape in tests). */
    static SysctlFacts read(Path root, String primaryLink) throws IOException {
        var keys = new java.util.ArrayList<>(List.of(IP_FORWARD, RP_FILTER_ALL, CONNTRACK_COUNT, CONNTRACK_MAX));
        if (primaryLink.matches("[A-Za-z0-9_.-]{1,15}")) {
            keys.add(rpFilter(primaryLink));
        }
        var values = new LinkedHashMap<String, String>();
        for (var key : keys) {
            try {
                values.put(key, readWhole(root.resolve(key)));
            } catch (NoSuchFileException absent) {
                // not on this kernel, or not in this namespace
            }
        }
        return new SysctlFacts(primaryLink, values);
    }

    /**
     * In one read: the kernel answers a sysctl read at a non-zero offset with end-of-file, and Files.readString reads
     * a file that reports size 0 in small steps, which turned nf_conntrack_max's "262144" into "2".
     */
    private static String readWhole(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            var buffer = new byte[4096];
            var n = in.read(buffer);
            return n <= 0 ? "" : new String(buffer, 0, n, StandardCharsets.US_ASCII).strip();
        }
    }
}
