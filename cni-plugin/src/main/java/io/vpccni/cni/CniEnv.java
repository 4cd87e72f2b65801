package io.vpccni.cni;

import java.util.Map;

/** The CNI_* environment of one call, validated for its command as the spec requires. */
public record CniEnv(String command, String containerId, String netns, String ifName, CniArgs args, String path) {
    /** Linux IFNAMSIZ (16) minus the terminating NUL. */
    static final int MAX_IFNAME_BYTES = 15;

    public static CniEnv from(Map<String, String> env) throws CniException {
        var command = env.get("CNI_COMMAND");
        if (command == null || command.isEmpty()) {
            throw new CniException(CniException.INVALID_ENVIRONMENT, "required environment variable CNI_COMMAND is missing");
        }
        var containerId = value(env, "CNI_CONTAINERID");
        var netns = value(env, "CNI_NETNS");
        var ifName = value(env, "CNI_IFNAME");
        var path = value(env, "CNI_PATH");
        switch (command) {
            case "VERSION" -> {
                return new CniEnv(command, containerId, netns, ifName, new CniArgs("", "", "", ""), path);
            }
            case "ADD", "CHECK" -> {
                require("CNI_CONTAINERID", containerId, command);
                require("CNI_NETNS", netns, command);
                require("CNI_IFNAME", ifName, command);
                require("CNI_PATH", path, command);
                validateIfName(ifName);
            }
            case "DEL" -> {
                // CNI_NETNS may be empty: containerd sends a second DEL after the netns is gone.
                require("CNI_CONTAINERID", containerId, command);
                require("CNI_IFNAME", ifName, command);
                require("CNI_PATH", path, command);
                validateIfName(ifName);
            }
            case "STATUS", "GC" -> require("CNI_PATH", path, command);
            default -> throw new CniException(CniException.INVALID_ENVIRONMENT, "unknown CNI_COMMAND '" + command
                    + "': expected ADD, DEL, CHECK, STATUS, GC or VERSION");
        }
        Limits.atMost("CNI_CONTAINERID", containerId, Limits.MAX_NAME_BYTES, CniException.INVALID_ENVIRONMENT);
        Limits.atMost("CNI_NETNS", netns, Limits.MAX_PATH_BYTES, CniException.INVALID_ENVIRONMENT);
        return new CniEnv(command, containerId, netns, ifName, CniArgs.parse(env.get("CNI_ARGS")), path);
    }

    private static String value(Map<String, String> env, String name) {
        var v = env.get(name);
        return v == null ? "" : v;
    }

    private static void require(String name, String value, String command) throws CniException {
        if (value.isEmpty()) {
            throw new CniException(CniException.INVALID_ENVIRONMENT,
                    "required environment variable " + name + " is missing for " + command);
        }
    }

    static void validateIfName(String ifName) throws CniException {
        var bytes = ifName.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > MAX_IFNAME_BYTES) {
            throw new CniException(CniException.INVALID_ENVIRONMENT, "CNI_IFNAME '" + ifName + "' is " + bytes
                    + " bytes; Linux interface names are at most " + MAX_IFNAME_BYTES);
        }
        if (ifName.equals(".") || ifName.equals("..")) {
            throw new CniException(CniException.INVALID_ENVIRONMENT, "CNI_IFNAME '" + ifName + "' is not a valid interface name");
        }
        for (var i = 0; i < ifName.length(); i++) {
            var c = ifName.charAt(i);
            if (c == '/' || c == ':' || c <= ' ') {
                throw new CniException(CniException.INVALID_ENVIRONMENT, "CNI_IFNAME '" + ifName
                        + "' contains '" + (c <= ' ' ? "whitespace" : String.valueOf(c)) + "', which interface names may not");
            }
        }
    }
}
