package io.vpccni.test;

import io.vpccni.ipamd.testing.Ip;
import io.vpccni.simcloud.ImdsServer;
import io.vpccni.test.node.SimulatedNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real daemon on a node whose IMDS is down when it starts: it serves at once, STATUS and the readiness probe say
 * why the pool is closed, ADD answers "try again later", no conflist is written (so kubelet keeps the node NotReady),
 * and once IMDS answers the pool opens, the conflist appears, the daemon turns ready and pods get addresses.
 */
class ImdsOutageE2E {
    @TempDir
    Path dir;

    private static HttpResponse<String> probe(String path) throws Exception {
        try (var http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:61679" + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void theDaemonWaitsOutAnImdsOutage() throws Exception {
        Ip.run("netns", "add", "vpc-imds");
        int port;
        try (var probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        var socket = dir.resolve("ipamd.sock");
        try (var node = new SimulatedNode("m5.large", "10.0.1.0/24", Path.of("/run/netns/vpc-imds"), InstantSource.system())) {
            var env = new HashMap<>(node.daemonEnv(socket, dir.resolve("ipam.json")));
            env.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:" + port);  // nothing listens there yet
            var conflist = dir.resolve("net.d/10-aws.conflist");
            env.put("HOST_CNI_CONFDIR_PATH", conflist.getParent().toString());
            var daemon = Executables.agentProcess(env, dir.resolve("agent.log"));
            try {
                var conf = "{\"cniVersion\":\"1.1.0\",\"name\":\"aws-cni\",\"type\":\"aws-cni\",\"pluginLogFile\":\""
                        + dir.resolve("plugin.log") + "\",\"ipamdSocket\":\"" + socket + "\"}";
                var cni = Map.of("CNI_COMMAND", "STATUS", "CNI_PATH", "/opt/cni/bin");
                var status = Executables.plugin(cni, conf);
                for (var i = 0; i < 100 && !status.stdout().contains("cannot discover this node"); i++) {
                    Thread.sleep(100);
                    status = Executables.plugin(cni, conf);
                }
                assertTrue(status.stdout().contains("\"code\":50") && status.stdout().contains("cannot discover this node"), status.stdout());
                var ready = probe("/readyz");
                assertEquals(503, ready.statusCode());
                assertTrue(ready.body().contains("cannot discover this node"), ready.body());
                assertEquals(200, probe("/healthz").statusCode(), "waiting for IMDS is no reason to restart the daemon");
                assertFalse(Files.exists(conflist), "no conflist while no pod can be wired");
                var add = Map.of("CNI_COMMAND", "ADD", "CNI_CONTAINERID", "imds-1", "CNI_NETNS", "/run/netns/imds-pod",
                        "CNI_IFNAME", "eth0", "CNI_PATH", "/opt/cni/bin", "CNI_ARGS", "K8S_POD_NAMESPACE=x;K8S_POD_NAME=y");
                Ip.run("netns", "add", "imds-pod");
                assertTrue(Executables.plugin(add, conf).stdout().contains("\"code\":11"));

                try (var imds = ImdsServer.start(new InetSocketAddress("127.0.0.1", port), node.account, node.instanceId,
                        InstantSource.system())) {
                    var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    var result = Executables.plugin(add, conf);
                    while (result.exit() != 0 && System.nanoTime() < deadline) {
                        Thread.sleep(200);
                        result = Executables.plugin(add, conf);
                    }
                    assertEquals(0, result.exit(), result.stdout());
                    assertTrue(result.stdout().contains("\"address\":\"10.0.1."), result.stdout());
                    while (!Files.exists(conflist) && System.nanoTime() < deadline) {
                        Thread.sleep(50);
                    }
                    assertTrue(Files.readString(conflist).contains("\"cniVersion\" : \"1.0.0\""), "written once the pool opened");
                    assertTrue(Files.readString(conflist).contains("\"ipamdSocket\" : \"" + socket + "\""), "the daemon's own socket");
                    assertEquals(200, probe("/readyz").statusCode());
                }
            } finally {
                daemon.destroy();
                daemon.waitFor(15, TimeUnit.SECONDS);
                Ip.quietly("netns", "del", "imds-pod");
            }
        } finally {
            Ip.quietly("netns", "del", "vpc-imds");
        }
    }
}
