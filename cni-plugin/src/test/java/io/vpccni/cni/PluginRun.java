package io.vpccni.cni;

import io.vpccni.cni.json.Json;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** One in-process plugin call as a runtime makes it: environment, stdin, and what came out. */
final class PluginRun {
    final Map<String, String> env = new HashMap<>();
    String stdin;
    int exit;
    String stdout;

    PluginRun(String command, Path logFile) {
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0");
        env.put("CNI_NETNS", "/var/run/netns/cni-7f3a");
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", "/opt/cni/bin:/usr/lib/cni");
        env.put("CNI_ARGS", "K8S_POD_NAME=web-0;K8S_POD_INFRA_CONTAINER_ID=0f1e;K8S_POD_UID=u-1;IgnoreUnknown=1;K8S_POD_NAMESPACE=shop");
        env.put("AWS_VPC_K8S_PLUGIN_LOG_FILE", logFile.toString());
    }

    static String conf(String cniVersion, Path socket, Path logFile, String extra) {
        return "{\"cniVersion\":\"" + cniVersion + "\",\"name\":\"aws-cni\",\"type\":\"aws-cni\",\"mtu\":\"9001\","
                + "\"vethPrefix\":\"eni\",\"pluginLogFile\":\"" + logFile + "\",\"pluginLogLevel\":\"DEBUG\","
                + "\"ipamdSocket\":\"" + socket + "\"" + extra + "}";
    }

    PluginRun run() {
        var out = new ByteArrayOutputStream();
        exit = Main.run(env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), new PrintStream(out, true, StandardCharsets.UTF_8));
        stdout = out.toString(StandardCharsets.UTF_8);
        return this;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> json() {
        return (Map<String, Object>) Json.parse(stdout);
    }

    long code() {
        return (Long) json().get("code");
    }

    String msg() {
        return (String) json().get("msg");
    }
}
