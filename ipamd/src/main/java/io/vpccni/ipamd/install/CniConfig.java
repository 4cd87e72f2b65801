package io.vpccni.ipamd.install;

import io.vpccni.ipamd.config.DaemonConfig;
import io.vpccni.ipamd.config.Env;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the node's conflist says, read from the daemon's environment as upstream's entrypoint reads it, and
 * validated as strictly as the plugin will read it back, so a bad value stops the daemon at start instead of
 * failing every pod. Only the socket and the timeout are ours; they are written only when not the default,
 * so the conflist of a default node is upstream's but for its version.
 *
 * @param ipamdSocket    absent when IPAMD_SOCKET_PATH is the default
 * @param ipamdTimeoutMs absent unless AWS_VPC_K8S_PLUGIN_IPAMD_TIMEOUT_MS is set
 */
public record CniConfig(int mtu, String vethPrefix, String podSgEnforcingMode, String pluginLogFile, String pluginLogLevel,
                        Optional<String> ipamdSocket, Optional<Integer> ipamdTimeoutMs, boolean bandwidth) {
    public static final String DEFAULT_LOG_FILE = "/var/log/aws-routed-eni/plugin.log";
    public static final String TIMEOUT = "AWS_VPC_K8S_PLUGIN_IPAMD_TIMEOUT_MS";

    public static CniConfig fromEnv(Map<String, String> env) {
        var eniMtu = Env.integer(env, "AWS_VPC_ENI_MTU", 576, 9001, 9001);
        var socket = Path.of(Optional.ofNullable(Env.get(env, DaemonConfig.SOCKET_PATH)).orElse(DaemonConfig.DEFAULT_SOCKET.toString()));
        var logFile = Optional.ofNullable(Env.get(env, "AWS_VPC_K8S_PLUGIN_LOG_FILE")).orElse(DEFAULT_LOG_FILE);
        if (logFile.equals("stdout") || !Path.of(logFile).isAbsolute()) {
            throw new IllegalArgumentException("AWS_VPC_K8S_PLUGIN_LOG_FILE='" + logFile + "' must be an absolute path: "
                    + "the plugin's stdout carries only its CNI result");
        }
        var timeout = Env.get(env, TIMEOUT);
        return new CniConfig(Env.integer(env, "POD_MTU", 576, 9001, eniMtu),
                DaemonConfig.vethPrefix(env.getOrDefault(DaemonConfig.VETH_PREFIX, "eni")),
                oneOf(env, "POD_SECURITY_GROUP_ENFORCING_MODE", "strict", "strict", "standard"),
                logFile,
                oneOf(env, "AWS_VPC_K8S_PLUGIN_LOG_LEVEL", "Debug", "Debug", "Info", "Warn", "Error"),
                socket.equals(DaemonConfig.DEFAULT_SOCKET) ? Optional.empty() : Optional.of(socket.toString()),
                timeout == null ? Optional.empty() : Optional.of(Env.integer(env, TIMEOUT, 1, 600_000, 10_000)),
                Env.bool(env, "ENABLE_BANDWIDTH_PLUGIN", false));
    }

    /** Where the daemon writes the conflist once its pool is open; absent when HOST_CNI_CONFDIR_PATH is not set. */
    public static Optional<Path> confDir(Map<String, String> env) {
        var dir = Env.get(env, "HOST_CNI_CONFDIR_PATH");
        if (dir == null) {
            return Optional.empty();
        }
        if (!Path.of(dir).isAbsolute()) {
            throw new IllegalArgumentException("HOST_CNI_CONFDIR_PATH='" + dir + "' must be an absolute path");
        }
        return Optional.of(Path.of(dir));
    }

    /** Case as upstream documents the value, whatever case it was given in (the plugin accepts any). */
    private static String oneOf(Map<String, String> env, String name, String fallback, String... allowed) {
        var value = Env.get(env, name);
        if (value == null) {
            return fallback;
        }
        for (var a : allowed) {
            if (a.toLowerCase(Locale.ROOT).equals(value.toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new IllegalArgumentException(name + "='" + env.get(name) + "' must be one of " + String.join(", ", allowed));
    }
}
