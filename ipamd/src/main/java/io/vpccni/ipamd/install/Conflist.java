package io.vpccni.ipamd.install;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The node's CNI network configuration list, {@code 10-aws.conflist}: aws-cni, then portmap (hostPort), then
 * bandwidth when asked. Version 1.0.0 is the newest every runtime on supported nodes accepts: containerd 1.6
 * refuses a 1.1.0 result and Debian's portmap 1.1.1 a 1.1.0 config (measured, see the runtime tests); the
 * plugin itself speaks 1.1.0 to a runtime that asks for it.
 */
public final class Conflist {
    public static final String FILE_NAME = "10-aws.conflist";
    public static final String CNI_VERSION = "1.0.0";
    public static final String NETWORK_NAME = "aws-cni";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Conflist() {
    }

    public static String render(CniConfig config) {
        var awsCni = new LinkedHashMap<String, Object>();
        awsCni.put("name", NETWORK_NAME);
        awsCni.put("type", "aws-cni");
        awsCni.put("mtu", Integer.toString(config.mtu()));  // a string, as upstream writes it
        awsCni.put("vethPrefix", config.vethPrefix());
        awsCni.put("podSGEnforcingMode", config.podSgEnforcingMode());
        awsCni.put("pluginLogFile", config.pluginLogFile());
        awsCni.put("pluginLogLevel", config.pluginLogLevel());
        config.ipamdSocket().ifPresent(s -> awsCni.put("ipamdSocket", s));
        config.ipamdTimeoutMs().ifPresent(t -> awsCni.put("ipamdTimeoutMs", t));
        List<Map<String, Object>> plugins = new ArrayList<>();
        plugins.add(awsCni);
        plugins.add(ordered("type", "portmap", "capabilities", Map.of("portMappings", true), "snat", true));
        if (config.bandwidth()) {
            plugins.add(ordered("type", "bandwidth", "capabilities", Map.of("bandwidth", true)));
        }
        var list = ordered("cniVersion", CNI_VERSION, "name", NETWORK_NAME, "disableCheck", false, "plugins", plugins);
        try {
            return JSON.writeValueAsString(list) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        var map = new LinkedHashMap<String, Object>();
        for (var i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
