package io.vpccni.cni.aot;

import io.vpccni.cni.Main;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/**
 * The build-time training run for the plugin's AOT cache: every verb, success and failure, against an
 * in-process daemon, so the classes a real call loads are already parsed and linked when a runtime execs
 * aws-cni. Not part of any CNI call.
 */
public final class TrainingRun {
    private TrainingRun() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        var dir = Files.createTempDirectory("aws-cni-training");
        var socket = dir.resolve("ipamd.sock");
        var conf = "{\"cniVersion\":\"%s\",\"name\":\"aws-cni\",\"type\":\"aws-cni\",\"mtu\":\"9001\",\"vethPrefix\":\"eni\","
                + "\"pluginLogFile\":\"" + dir.resolve("plugin.log") + "\",\"pluginLogLevel\":\"DEBUG\","
                + "\"podSGEnforcingMode\":\"strict\",\"ipamdSocket\":\"" + socket + "\"%s}";
        var prev = ",\"prevResult\":{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eni3a52ce780da\",\"mac\":\"02:11:22:33:44:55\"},"
                + "{\"name\":\"eth0\",\"mac\":\"0a:58:0a:00:00:0a\",\"sandbox\":\"/var/run/netns/cni-training\"}],"
                + "\"ips\":[{\"address\":\"10.0.0.10/32\",\"gateway\":\"169.254.1.1\",\"interface\":1}],\"dns\":{}}";
        var gc = ",\"cni.dev/valid-attachments\":[{\"containerID\":\"c1\",\"ifname\":\"eth0\"}]";
        // The daemon not running yet is common while a node starts: that error path is trained too.
        var noDaemon = conf.replace(socket.toString(), dir.resolve("missing.sock").toString());
        try (var daemon = TrainingDaemon.start(socket)) {
            for (var round = 0; round < 3; round++) {
                call("VERSION", "c1", "{\"cniVersion\":\"1.0.0\"}");
                for (var version : new String[]{"0.3.1", "0.4.0", "1.0.0", "1.1.0"}) {
                    call("ADD", "c1", conf.formatted(version, ""));
                }
                call("CHECK", "c1", conf.formatted("1.1.0", prev));
                call("STATUS", "", conf.formatted("1.1.0", ""));
                call("GC", "", conf.formatted("1.1.0", gc));
                call("DEL", "c1", conf.formatted("1.1.0", prev));
                call("ADD", TrainingDaemon.FAILING_CONTAINER, conf.formatted("1.0.0", ""));
                call("ADD", "c1", noDaemon.formatted("1.0.0", ""));
                call("ADD", "c1", "{not json");
                call("BOGUS", "c1", conf.formatted("1.0.0", ""));
            }
        }
        try (var files = Files.list(dir)) {
            for (var f : (Iterable<java.nio.file.Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
    }

    private static void call(String command, String containerId, String stdin) {
        // Start from the real environment, as Main.main does, so its classes are in the cache too.
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", containerId);
        env.put("CNI_NETNS", "/var/run/netns/cni-training");
        env.put("CNI_IFNAME", "eth0");
        env.put("CNI_PATH", "/opt/cni/bin");
        env.put("CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=training;K8S_POD_INFRA_CONTAINER_ID="
                + containerId + ";K8S_POD_UID=0000");
        var out = new ByteArrayOutputStream();
        Main.run(env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), new PrintStream(out, true, StandardCharsets.UTF_8));
    }
}
