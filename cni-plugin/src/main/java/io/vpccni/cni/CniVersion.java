package io.vpccni.cni;

import java.util.List;

/** The CNI spec versions this plugin speaks, and comparisons between version strings. */
public final class CniVersion {
    public static final String LATEST = "1.1.0";
    public static final List<String> SUPPORTED = List.of("0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0");

    private CniVersion() {
    }

    public static boolean supported(String version) {
        return SUPPORTED.contains(version);
    }

    /** Whether {@code version} is {@code minimum} or later; both are known "x.y.z" strings. */
    public static boolean atLeast(String version, String minimum) {
        return compare(version, minimum) >= 0;
    }

    /** Results before 1.0.0 carry "version":"4" on each IP. */
    public static boolean ipsCarryVersion(String version) {
        return !atLeast(version, "1.0.0");
    }

    private static int compare(String a, String b) {
        var pa = a.split("\\.", 3);
        var pb = b.split("\\.", 3);
        for (var i = 0; i < 3; i++) {
            var c = Integer.compare(Integer.parseInt(pa[i]), Integer.parseInt(pb[i]));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
