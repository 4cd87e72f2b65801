package io.vpccni.ipamd.config;

import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.Map;

/**
 * The daemon's settings, read from its environment as the aws-node DaemonSet sets them. Parsing is
 * strict: a bad value stops the daemon at start with the variable's name and what it accepts.
 */
public record DaemonConfig(Path socketPath, String vethPrefix, int metricsPort, SocketAddress introspection,
                           SocketAddress health) {
    public static final String SOCKET_PATH = "IPAMD_SOCKET_PATH";
    public static final String VETH_PREFIX = "AWS_VPC_K8S_CNI_VETHPREFIX";
    public static final Path DEFAULT_SOCKET = Path.of("/var/run/aws-node/ipamd.sock");
    /** Prometheus metrics port (upstream's fixed 61678); 0 when DISABLE_METRICS is set. */
    public static final String METRICS_PORT = "METRICS_PORT";

    /** Introspection's listen address (upstream's default: loopback only, never the node's address). */
    public static final String INTROSPECTION_BIND_ADDRESS = "INTROSPECTION_BIND_ADDRESS";
    public static final String DEFAULT_INTROSPECTION = "127.0.0.1:61679";

    /**
     * @return with {@code introspection} null when DISABLE_INTROSPECTION is set; {@code health} (kubelet's probes,
     * /healthz and /readyz) is always the introspection address, since the probes must work either way
     */
    public static DaemonConfig fromEnv(Map<String, String> env) {
        var metricsOff = Env.bool(env, "DISABLE_METRICS", false);
        var introspectionOff = Env.bool(env, "DISABLE_INTROSPECTION", false);
        var bind = Env.get(env, INTROSPECTION_BIND_ADDRESS);
        var address = BindAddress.parse(INTROSPECTION_BIND_ADDRESS, bind == null ? DEFAULT_INTROSPECTION : bind);
        return new DaemonConfig(path(env, SOCKET_PATH, DEFAULT_SOCKET), vethPrefix(env.getOrDefault(VETH_PREFIX, "eni")),
                metricsOff ? 0 : Env.integer(env, METRICS_PORT, 1, 65535, 61678), introspectionOff ? null : address, address);
    }

    /** As upstream validates it: at most 4 characters, and not a prefix the node's own interfaces use. */
    public static String vethPrefix(String value) {
        var prefix = value.strip();
        if (prefix.isEmpty() || prefix.length() > 4 || !prefix.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_')) {
            throw new IllegalArgumentException(VETH_PREFIX + "='" + value + "' must be 1 to 4 letters, digits, '-' or '_'");
        }
        if (prefix.equals("eth") || prefix.equals("lo") || prefix.equals("vlan")) {
            throw new IllegalArgumentException(VETH_PREFIX + "='" + value + "' is reserved for the node's own interfaces");
        }
        return prefix;
    }

    private static Path path(Map<String, String> env, String name, Path fallback) {
        var value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        var path = Path.of(value.strip());
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException(name + "='" + value + "' must be an absolute path");
        }
        // sun_path holds 108 bytes including the terminating NUL.
        if (path.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 107) {
            throw new IllegalArgumentException(name + "='" + value + "' is longer than a Unix socket path may be (107 bytes)");
        }
        return path;
    }
}
