package io.vpccni.cni;

import io.vpccni.cni.json.Json;
import io.vpccni.cni.json.JsonException;
import io.vpccni.cni.wire.PodCall.PodInterfaces;
import io.vpccni.cni.wire.PodCall.PrevResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The network configuration on stdin: the plugin's object from the conflist with "name" and
 * "cniVersion" injected by the runtime. Key order is never relied on (podman re-sorts keys).
 * {@code validAttachments} is null unless a GC call's configuration carries "cni.dev/valid-attachments".
 */
public record NetConf(String cniVersion, String name, int mtu, String vethPrefix, String pluginLogFile,
                      String pluginLogLevel, String podSgEnforcingMode, String ipamdSocket, long ipamdTimeoutMillis,
                      PrevResult prevResult, Map<String, Object> runtimeConfig, List<String[]> validAttachments) {

    public static final int MAX_STDIN = 1 << 20;
    public static final int DEFAULT_MTU = 9001;
    public static final String DEFAULT_LOG_FILE = "/var/log/aws-routed-eni/plugin.log";
    public static final String DEFAULT_SOCKET = "/var/run/aws-node/ipamd.sock";
    public static final long DEFAULT_TIMEOUT_MILLIS = 10_000;
    /** Bounds on ipamdTimeoutMs: the longest is ten minutes, far beyond any runtime's own patience. */
    public static final long MIN_TIMEOUT_MILLIS = 1, MAX_TIMEOUT_MILLIS = 600_000;
    /** The GC key listing the attachments still in use (CNI 1.1). */
    public static final String VALID_ATTACHMENTS = "cni.dev/valid-attachments";
    /** Values quoted in error messages are cut to this many characters: the runtime logs the whole message. */
    private static final int MAX_SHOWN = 64;

    /** Parses and validates stdin for {@code command}. @throws CniException with code 1, 6 or 7 */
    public static NetConf parse(String stdin, String command) throws CniException {
        if (stdin.isBlank()) {
            throw new CniException(CniException.DECODING_FAILURE, "the network configuration on stdin is empty");
        }
        Object parsed;
        try {
            parsed = Json.parse(stdin);
        } catch (JsonException e) {
            throw new CniException(CniException.DECODING_FAILURE, "the network configuration on stdin cannot be decoded: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> raw)) {
            throw new CniException(CniException.DECODING_FAILURE, "the network configuration on stdin must be a JSON object");
        }
        @SuppressWarnings("unchecked") var conf = (Map<String, Object>) raw;

        var version = string(conf, "cniVersion", "");
        if (version.isEmpty()) {
            throw new CniException(CniException.INCOMPATIBLE_VERSION, "the network configuration has no cniVersion; supported: "
                    + String.join(", ", CniVersion.SUPPORTED));
        }
        if (!CniVersion.supported(version)) {
            throw new CniException(CniException.INCOMPATIBLE_VERSION, "cniVersion " + shown(version) + " is not supported; supported: "
                    + String.join(", ", CniVersion.SUPPORTED));
        }
        var name = string(conf, "name", "");
        if (name.isEmpty()) {
            throw invalid("\"name\" is missing: the network name keys every attachment");
        }
        Limits.atMost("invalid network configuration: \"name\"", name, Limits.MAX_NAME_BYTES, CniException.INVALID_NETWORK_CONFIG);
        var mtu = mtu(conf.get("mtu"));
        var vethPrefix = vethPrefix(string(conf, "vethPrefix", "eni"));
        var logFile = string(conf, "pluginLogFile", DEFAULT_LOG_FILE);
        if (logFile.equalsIgnoreCase("stdout")) {
            throw invalid("\"pluginLogFile\" may not be stdout: stdout carries only the CNI result");
        }
        var logLevel = oneOf(conf, "pluginLogLevel", "DEBUG", "DEBUG", "INFO", "WARN", "ERROR");
        var sgMode = oneOf(conf, "podSGEnforcingMode", "strict", "strict", "standard");
        var socket = string(conf, "ipamdSocket", DEFAULT_SOCKET);
        if (!socket.startsWith("/")) {
            throw invalid("\"ipamdSocket\" must be an absolute path, got " + shown(socket));
        }
        Limits.atMost("invalid network configuration: \"ipamdSocket\"", socket, Limits.MAX_SOCKET_PATH_BYTES,
                CniException.INVALID_NETWORK_CONFIG);
        var timeout = conf.containsKey("ipamdTimeoutMs") ? timeoutMillis(conf.get("ipamdTimeoutMs")) : DEFAULT_TIMEOUT_MILLIS;
        var runtimeConfig = object(conf.get("runtimeConfig"), "runtimeConfig", CniException.INVALID_NETWORK_CONFIG);
        var prev = conf.get("prevResult") == null ? null : prevResult(conf.get("prevResult"));
        var attachments = command.equals("GC") && conf.get(VALID_ATTACHMENTS) != null ? validAttachments(conf.get(VALID_ATTACHMENTS)) : null;
        return new NetConf(version, name, mtu, vethPrefix, logFile, logLevel, sgMode, socket, timeout, prev,
                runtimeConfig, attachments);
    }

    /** The cniVersion to answer VERSION with, which must never fail: the requested one if we speak it. */
    public static String versionFor(String stdin) {
        try {
            if (Json.parse(stdin) instanceof Map<?, ?> m && m.get("cniVersion") instanceof String v && CniVersion.supported(v)) {
                return v;
            }
        } catch (JsonException ignored) {
            // VERSION answers even when the config is unreadable.
        }
        return CniVersion.LATEST;
    }

    /** A runtimeConfig member looked up case-insensitively (containerd capitalises keys). */
    public Object runtimeConfig(String key) {
        return Json.getIgnoreCase(runtimeConfig, key);
    }

    private static int mtu(Object value) throws CniException {
        if (value == null) {
            return DEFAULT_MTU;
        }
        long mtu;
        try {
            mtu = value instanceof String s ? Long.parseLong(s.strip()) : value instanceof Long l ? l : -1;
        } catch (NumberFormatException e) {
            mtu = -1;
        }
        if (mtu < 576 || mtu > 9001) {
            throw invalid("\"mtu\" must be a number from 576 to 9001, got " + shown(value));
        }
        return (int) mtu;
    }

    private static String vethPrefix(String prefix) throws CniException {
        if (prefix.isEmpty() || prefix.length() > 4) {
            throw invalid("\"vethPrefix\" must be 1 to 4 characters, got " + shown(prefix));
        }
        if (prefix.equals("eth") || prefix.equals("lo") || prefix.equals("vlan")) {
            throw invalid("\"vethPrefix\" '" + prefix + "' is reserved for the node's own interfaces");
        }
        for (var i = 0; i < prefix.length(); i++) {
            var c = prefix.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                throw invalid("\"vethPrefix\" '" + prefix + "' may hold only letters, digits, '-' and '_'");
            }
        }
        return prefix;
    }

    private static PrevResult prevResult(Object value) throws CniException {
        var prev = object(value, "prevResult", CniException.DECODING_FAILURE);
        var interfaces = list(prev.get("interfaces"), "prevResult.interfaces");
        var ips = list(prev.get("ips"), "prevResult.ips");
        String host = "", hostMac = "", container = "", containerMac = "";
        for (var i = 0; i < interfaces.size(); i++) {
            var itf = object(interfaces.get(i), "prevResult.interfaces[" + i + "]", CniException.DECODING_FAILURE);
            var ifName = prevString(itf, "name", "prevResult.interfaces[" + i + "]");
            var mac = prevString(itf, "mac", "prevResult.interfaces[" + i + "]");
            if (prevString(itf, "sandbox", "prevResult.interfaces[" + i + "]").isEmpty()) {
                host = ifName;
                hostMac = mac;
            } else {
                container = ifName;
                containerMac = mac;
            }
        }
        var cidrs = new ArrayList<String>(ips.size());
        var gateway = "";
        for (var i = 0; i < ips.size(); i++) {
            var where = "prevResult.ips[" + i + "]";
            var ip = object(ips.get(i), where, CniException.DECODING_FAILURE);
            var address = prevString(ip, "address", where);
            if (address.indexOf('/') < 0) {
                throw new CniException(CniException.DECODING_FAILURE, where + ".address " + shown(address) + " is not in CIDR notation");
            }
            cidrs.add(address);
            if (gateway.isEmpty()) {
                gateway = prevString(ip, "gateway", where);
            }
            var index = ip.get("interface");
            if (index != null && !(index instanceof Long l && l >= 0 && l < interfaces.size())) {
                throw new CniException(CniException.DECODING_FAILURE, where + ".interface " + shown(index)
                        + " does not index prevResult.interfaces (" + interfaces.size() + " entries)");
            }
        }
        return new PrevResult(new PodInterfaces(host, hostMac, container, containerMac), cidrs, gateway);
    }

    /**
     * Every entry must name both its container and its interface: an entry the daemon could not match
     * would leave a live attachment looking stale, and GC would release it.
     */
    private static List<String[]> validAttachments(Object value) throws CniException {
        var entries = list(value, VALID_ATTACHMENTS);
        var out = new ArrayList<String[]>(entries.size());
        for (var i = 0; i < entries.size(); i++) {
            var where = VALID_ATTACHMENTS + "[" + i + "]";
            var a = object(entries.get(i), where, CniException.DECODING_FAILURE);
            var containerId = prevString(a, "containerID", where);
            var ifName = prevString(a, "ifname", where);
            if (containerId.isEmpty() || ifName.isEmpty()) {
                throw invalid(where + " must have a non-empty \"containerID\" and \"ifname\", got " + shown(a));
            }
            Limits.atMost("invalid network configuration: " + where + ".containerID", containerId, Limits.MAX_NAME_BYTES,
                    CniException.INVALID_NETWORK_CONFIG);
            Limits.atMost("invalid network configuration: " + where + ".ifname", ifName, CniEnv.MAX_IFNAME_BYTES,
                    CniException.INVALID_NETWORK_CONFIG);
            out.add(new String[]{containerId, ifName});
        }
        return out;
    }

    private static String prevString(Map<String, Object> m, String key, String where) throws CniException {
        var v = m.get(key);
        if (v == null) {
            return "";
        }
        if (!(v instanceof String s)) {
            throw new CniException(CniException.DECODING_FAILURE, where + "." + key + " must be a string, got " + shown(v));
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String what, int code) throws CniException {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> m)) {
            throw new CniException(code, "\"" + what + "\" must be a JSON object, got " + shown(value));
        }
        return (Map<String, Object>) m;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value, String what) throws CniException {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> l)) {
            throw new CniException(CniException.DECODING_FAILURE, "\"" + what + "\" must be a JSON list, got " + shown(value));
        }
        return (List<Object>) l;
    }

    private static String string(Map<String, Object> conf, String key, String fallback) throws CniException {
        var v = conf.get(key);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof String s)) {
            throw invalid("\"" + key + "\" must be a string, got " + shown(v));
        }
        return s;
    }

    private static String oneOf(Map<String, Object> conf, String key, String fallback, String... allowed) throws CniException {
        var v = string(conf, key, fallback);
        for (var a : allowed) {
            if (a.equalsIgnoreCase(v)) {
                return a;
            }
        }
        throw invalid("\"" + key + "\" must be one of " + String.join(", ", allowed) + ", got " + shown(v));
    }

    private static long timeoutMillis(Object value) throws CniException {
        if (value instanceof Long l && l >= MIN_TIMEOUT_MILLIS && l <= MAX_TIMEOUT_MILLIS) {
            return l;
        }
        throw invalid("\"ipamdTimeoutMs\" must be a whole number of milliseconds from " + MIN_TIMEOUT_MILLIS + " to "
                + MAX_TIMEOUT_MILLIS + ", got " + shown(value));
    }

    /** A value as JSON for an error message, cut short when long: the message must stay readable. */
    static String shown(Object value) {
        var json = Json.write(value);
        return json.length() <= MAX_SHOWN ? json
                : json.substring(0, MAX_SHOWN) + "… (" + json.length() + " characters)";
    }

    private static CniException invalid(String msg) {
        return new CniException(CniException.INVALID_NETWORK_CONFIG, "invalid network configuration: " + msg);
    }
}
