package io.vpccni.ipamd.config;

import io.vpccni.ipamd.net.IpPrefix;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one reader of the daemon's environment, accepting exactly what upstream accepts. An absent or blank
 * variable takes its default; anything else that does not parse stops the daemon with the variable's name,
 * its value and what is accepted.
 */
public final class Env {
    private static final String BOOLEANS = "1, t, T, TRUE, true, True, 0, f, F, FALSE, false or False";

    private Env() {
    }

    /** The value, stripped; null when absent or blank. */
    public static String get(Map<String, String> env, String name) {
        var raw = env.get(name);
        return raw == null || raw.isBlank() ? null : raw.strip();
    }

    /** As Go's {@code strconv.ParseBool}, which upstream reads every boolean variable with. */
    public static boolean bool(Map<String, String> env, String name, boolean fallback) {
        var value = get(env, name);
        if (value == null) {
            return fallback;
        }
        return switch (value) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            case "0", "f", "F", "false", "FALSE", "False" -> false;
            default -> throw new IllegalArgumentException(name + "='" + env.get(name) + "' is not a boolean: use " + BOOLEANS);
        };
    }

    /** A comma-separated list of IPv4 CIDRs, normalised to their networks, without repeats. */
    public static List<IpPrefix> cidrs(Map<String, String> env, String name) {
        var out = new ArrayList<IpPrefix>();
        for (var part : env.getOrDefault(name, "").split(",")) {
            var text = part.strip();
            if (text.isEmpty()) {
                continue;
            }
            if (!text.contains("/")) {
                throw new IllegalArgumentException(name + ": '" + text + "' must be an IPv4 CIDR such as 203.0.113.0/24");
            }
            try {
                var cidr = IpPrefix.of(text).network();
                if (!out.contains(cidr)) {
                    out.add(cidr);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ": '" + text + "' is not an IPv4 CIDR (" + e.getMessage() + ")");
            }
        }
        return out;
    }

    /** A decimal integer from {@code min} to {@code max}; {@code fallback} when absent. */
    public static int integer(Map<String, String> env, String name, int min, int max, int fallback) {
        var value = get(env, name);
        if (value == null) {
            return fallback;
        }
        // Digits only and a bounded length: a huge number is refused at once, not parsed.
        if (value.length() <= 10 && value.chars().allMatch(Character::isDigit)) {
            var parsed = Long.parseLong(value);
            if (parsed >= min && parsed <= max) {
                return (int) parsed;
            }
        }
        throw new IllegalArgumentException(name + "='" + env.get(name) + "' must be an integer from " + min + " to " + max);
    }
}
