package io.vpccni.test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpccni.ipamd.testing.Ip;
import io.vpccni.test.node.NodeUnderTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The introspection endpoints of the real daemon on a simulated node, against what EC2 and the kernel say: every
 * pod with its ENI and complete wiring on both sides, a pod's deleted ARP entry as its drift, upstream's
 * {@code /v1/enis} holding EC2's attached ENIs, and a rule someone deleted showing up as a heal in {@code /v1/guard}.
 */
@EnabledIfSystemProperty(named = "vpccni.netns", matches = "private", disabledReason = "needs root and test/bin/java-in-netns")
class IntrospectionE2E {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void podsEnisAndHealsAsEc2AndTheKernelSeeThem() throws Exception {
        try (var node = new NodeUnderTest("intro", "m5.large", dir)) {
            node.start(Map.of());
            var ips = new HashMap<String, String>();  // pod → address
            for (var i = 0; i < 12; i++) {
                ips.put("pod-" + i, node.addUntilServed("pod-" + i, DEADLINE));
            }

            var pods = get("/v1/pods");
            assertTrue(pods.get("pool").get("open").asBoolean(), pods.toString());
            assertEquals(12, pods.get("pods").size());
            for (var pod : pods.get("pods")) {
                var ip = ips.get(pod.get("name").asText());
                assertEquals(ip, pod.get("ip").asText());
                assertEquals(node.eniHolding(ip).orElseThrow().id(), pod.get("eniId").asText(), "EC2 has the address there");
                assertTrue(pod.get("wiring").get("healthy").asBoolean(), pod.toString());
                assertEquals("host+pod", pod.get("wiring").get("checked").asText(), "both sides: the daemon served its ADD");
                assertTrue(Ip.run("link", "show", pod.get("hostVeth").asText()).contains("state UP"), pod.toString());
            }

            // The pod side too: a static ARP entry someone deleted inside a pod is a drift (no healer reaches into pods).
            Ip.run("netns", "exec", "intro-pod-0", "ip", "neigh", "del", "169.254.1.1", "dev", "eth0");
            var drifted = get("/v1/pods").get("pods").valueStream().filter(p -> p.get("name").asText().equals("pod-0")).findFirst().orElseThrow();
            assertFalse(drifted.get("wiring").get("healthy").asBoolean(), drifted.toString());
            assertEquals("neighbour 169.254.1.1 in the pod", drifted.get("wiring").get("drifts").get(0).get("object").asText(), drifted.toString());

            var enis = get("/v1/enis");
            Set<String> attached = new HashSet<>();
            node.attachedEnis().forEach(e -> attached.add(e.id()));
            Set<String> listed = new HashSet<>();
            enis.get("ENIs").fieldNames().forEachRemaining(listed::add);
            assertEquals(attached, listed, "the ENIs EC2 attached");
            assertEquals(12, enis.get("AssignedIPs").asInt());

            var onSecondary = pods.get("pods").valueStream().filter(p -> p.get("routeTable").asInt() != 254).findFirst().orElseThrow();
            Ip.run("rule", "del", "from", onSecondary.get("ip").asText() + "/32", "lookup",
                    onSecondary.get("routeTable").asText(), "priority", "1536");
            node.await(DEADLINE, "the heal in /v1/guard", () -> healedRules() >= 1, () -> getOrError("/v1/guard"));
            var guard = get("/v1/guard");
            assertTrue(guard.get("running").asBoolean());
            assertEquals(attached.size(), guard.get("enis").size());
            for (var eni : guard.get("enis")) {
                if (!eni.get("primary").asBoolean()) {
                    assertEquals("none", eni.get("owner").asText(), "no manager owns a secondary ENI here: " + eni);
                }
                assertFalse(eni.get("refused").asBoolean(), eni.toString());
            }
            assertTrue(guard.get("heals").get("recent").size() >= 1, guard.toString());
        }
    }

    private long healedRules() {
        try {
            return get("/v1/guard").get("heals").get("restored").get("rules").asLong();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private String getOrError(String path) {
        try {
            return get(path).toString();
        } catch (IOException | RuntimeException e) {
            return e.toString();
        }
    }

    private JsonNode get(String path) throws IOException {
        try {
            var response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:61679" + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), path + ": " + response.body());
            return JSON.readTree(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
