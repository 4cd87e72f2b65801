package io.vpccni.ipamd.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * The daemon's settings, read from its environment as the aws-node DaemonSet sets them. Parsing is
 * strict: a bad value stops the daemon at start with the variable's name and what it accepts.
 */
public record DaemonConfig(Path socketPath) {
    public static final String SOCKET_PATH = "IPAMD_SOCKET_PATH";
    public static final Path DEFAULT_SOCKET = Path.of("/var/run/aws-node/ipamd.sock");

    public static DaemonConfig fromEnv(Map<String, String> env) {
        return new DaemonConfig(path(env, SOCKET_PATH, DEFAULT_SOCKET));
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
