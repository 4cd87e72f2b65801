package io.vpccni.test;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both shipped executables as processes: aws-k8s-agent on a Unix socket and aws-cni exec'd against it, on a
 * machine without EC2: the daemon serves at once, keeps its pool closed and says why (no IMDS), so STATUS is
 * 50 with the reason, ADD is 11, and DEL succeeds.
 */
class DaemonAndPluginE2E {
    @TempDir
    Path dir;

    private Map<String, String> env(String command) {
        return Map.of("CNI_COMMAND", command, "CNI_CONTAINERID", "5d2c7e", "CNI_NETNS", "/var/run/netns/cni-e2e",
                "CNI_IFNAME", "eth0", "CNI_PATH", "/opt/cni/bin", "CNI_ARGS", "K8S_POD_NAMESPACE=shop;K8S_POD_NAME=cart-1");
    }

    private String conf(String version, Path socket) {
        return "{\"cniVersion\":\"" + version + "\",\"name\":\"aws-cni\",\"type\":\"aws-cni\",\"pluginLogFile\":\""
                + dir.resolve("plugin.log") + "\",\"ipamdSocket\":\"" + socket + "\"}";
    }

    @Test
    void pluginTalksToTheRealDaemonProcess() throws Exception {
        var socket = dir.resolve("run/ipamd.sock");
        var agent = Executables.agent(socket, dir.resolve("agent.log"));
        try {
            var version = Executables.plugin(env("VERSION"), "{\"cniVersion\":\"1.1.0\"}");
            assertEquals(0, version.exit());
            assertTrue(version.stdout().contains("\"supportedVersions\""));

            var status = Executables.plugin(env("STATUS"), conf("1.1.0", socket));
            assertEquals(1, status.exit());
            assertTrue(status.stdout().contains("\"code\":50"), status.stdout());
            assertTrue(status.stdout().contains("ipamd cannot assign pod addresses: "), status.stdout());

            var add = Executables.plugin(env("ADD"), conf("1.0.0", socket));
            assertTrue(add.stdout().contains("\"code\":11"), add.stdout());

            var del = Executables.plugin(env("DEL"), conf("1.0.0", socket));
            assertEquals(0, del.exit(), del.stdout());
            assertEquals("", del.stdout());

            // The daemon logged each call as structured JSON with the container in its context.
            var log = Files.readString(dir.resolve("agent.log"));
            assertTrue(log.contains("\"containerId\":\"5d2c7e\""), log);
        } finally {
            agent.destroy();
            assertTrue(agent.waitFor(10, TimeUnit.SECONDS));
        }
        assertFalse(Files.exists(socket), "a clean stop removes the socket");
    }

    @Test
    void aSecondDaemonRefusesAndAKilledOneIsReplaced() throws Exception {
        var socket = dir.resolve("ipamd.sock");
        var first = Executables.agent(socket, dir.resolve("first.log"));
        try {
            var second = Executables.agentProcess(socket, dir.resolve("second.log"));
            assertTrue(second.waitFor(30, TimeUnit.SECONDS));
            assertEquals(1, second.exitValue());
            assertTrue(Files.readString(dir.resolve("second.log")).contains("another aws-k8s-agent (pid " + first.pid() + ")"));
        } finally {
            first.destroyForcibly();
            first.waitFor(10, TimeUnit.SECONDS);
        }
        assertTrue(Files.exists(socket), "SIGKILL leaves the socket file behind");
        var third = Executables.agent(socket, dir.resolve("third.log"));
        try {
            var status = Executables.plugin(env("STATUS"), conf("1.1.0", socket));
            assertTrue(status.stdout().contains("\"code\":50"), status.stdout());
        } finally {
            third.destroy();
            third.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
