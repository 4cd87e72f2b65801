package io.vpccni.ipamd.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.pod.Drift;
import io.vpccni.ipamd.pool.AttachmentKey;
import io.vpccni.ipamd.pool.Datastore;
import io.vpccni.ipamd.pool.EniInfo;
import io.vpccni.ipamd.pool.PodIdentity;
import io.vpccni.ipamd.pool.PoolStatus;
import io.vpccni.ipamd.pod.PodNetworks;
import io.vpccni.ipamd.testing.InMemoryAllocator;
import io.vpccni.ipamd.testing.MutableClock;
import io.vpccni.ipamd.testing.RecordingWiring;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The introspection endpoints over HTTP: upstream's field names and shapes, ours, and a closed pool said so. */
class IntrospectionTest {
    private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MutableClock clock = new MutableClock(T0);
    private final Datastore datastore = new Datastore(clock, Duration.ofSeconds(30), false);
    private final RecordingWiring wiring = new RecordingWiring();
    private volatile PoolStatus status = new PoolStatus(true, null, 2, 1);
    private HttpEndpointServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        client.close();
    }

    private void serve() throws Exception {
        var sources = new Introspection.Sources(datastore, () -> status, () -> 29, new PodNetworks(new InMemoryAllocator(), wiring)::inspect, Optional::empty,
                () -> Optional.of("us-west-2a"), Map.of("WARM_ENI_TARGET", 1), Map.of("AWS_VPC_K8S_CNI_VETHPREFIX", "eni"));
        server = HttpEndpointServer.start("introspection", new Introspection(sources).routes(),
                new InetSocketAddress("127.0.0.1", 0), HttpEndpointServer.Limits.DEFAULT);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(String path) throws Exception {
        var response = get(path);
        assertEquals(200, response.statusCode(), path);
        assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
        return JSON.readTree(response.body());
    }

    private void node() {
        datastore.addEni(new EniInfo("eni-primary", "02:00:00:00:00:01", 0, 0, true, false, false, "subnet-a", 254, T0));
        datastore.addEni(new EniInfo("eni-second", "02:00:00:00:00:02", 1, 0, false, false, false, "subnet-a", 2, T0));
        datastore.addCidr("eni-primary", IpPrefix.of("10.0.0.11/32"), false);
        datastore.addCidr("eni-second", IpPrefix.of("10.0.1.21/32"), false);
        datastore.addCidr("eni-second", IpPrefix.of("10.0.1.22/32"), false);
        datastore.setExcluded("eni-primary", true);  // so that the pod lands on the secondary ENI
        datastore.assign(new AttachmentKey("aws-cni", "c0ffee", "eth0"), new PodIdentity("default", "web-1", "uid", "c0ffee"),
                "eni0123456789a");
    }

    @Test
    void enisHaveUpstreamsShapeWithContainerIdsBlanked() throws Exception {
        node();
        serve();
        var enis = json("/v1/enis");
        assertEquals(3, enis.get("TotalIPs").asInt());
        assertEquals(1, enis.get("AssignedIPs").asInt());
        var second = enis.get("ENIs").get("eni-second");
        assertEquals("eni-second", second.get("ID").asText());
        assertFalse(second.get("IsPrimary").asBoolean());
        assertEquals(1, second.get("DeviceNumber").asInt());
        assertEquals(2, second.get("RouteTableID").asInt());
        assertTrue(enis.get("ENIs").get("eni-primary").get("IsExcludedForPodIPs").asBoolean());
        var cidr = second.get("AvailableIPv4Cidrs").get("10.0.1.21/32");
        assertEquals("10.0.1.21", cidr.get("Cidr").get("IP").asText());
        assertEquals("/////w==", cidr.get("Cidr").get("Mask").asText());  // Go's base64 of ff ff ff ff
        assertFalse(cidr.get("IsPrefix").asBoolean());
        var address = cidr.get("IPAddresses").get("10.0.1.21");
        assertEquals("aws-cni", address.get("IPAMKey").get("networkName").asText());
        assertEquals("", address.get("IPAMKey").get("containerID").asText());
        assertEquals("web-1", address.get("IPAMMetadata").get("k8sPodName").asText());
        assertEquals(T0.toString(), address.get("AssignedTime").asText());
        assertEquals(UpstreamEniInfos.GO_ZERO_TIME, address.get("UnassignedTime").asText());
        assertTrue(second.get("AvailableIPv4Cidrs").get("10.0.1.22/32").get("IPAddresses").isEmpty(), "a never-used address has no entry");
    }

    @Test
    void podsSayWhereEachPodLivesAndWhatItsHostSideLacks() throws Exception {
        node();
        wiring.drifts = List.of(new Drift("rule 1536 from 10.0.1.21/32 lookup 2", "present", "missing"));
        serve();
        var doc = json("/v1/pods");
        assertTrue(doc.get("pool").get("open").asBoolean());
        assertEquals(29, doc.get("pool").get("maxPods").asInt());
        var pod = doc.get("pods").get(0);
        assertEquals("default", pod.get("namespace").asText());
        assertEquals("web-1", pod.get("name").asText());
        assertEquals("c0ffee", pod.get("containerId").asText());
        assertEquals("10.0.1.21", pod.get("ip").asText());
        assertEquals("eni-second", pod.get("eniId").asText());
        assertEquals(2, pod.get("routeTable").asInt());
        assertEquals("eni0123456789a", pod.get("hostVeth").asText());
        assertEquals(T0.toString(), pod.get("assignedAt").asText());
        assertFalse(pod.get("wiring").get("healthy").asBoolean());
        assertEquals("missing", pod.get("wiring").get("drifts").get(0).get("actual").asText());
    }

    @Test
    void aClosedPoolIsSaidSoAndTheGuardIsNotRunningYet() throws Exception {
        status = PoolStatus.notReady("cannot discover this node yet: IMDS timed out");
        serve();
        var pods = json("/v1/pods");
        assertFalse(pods.get("pool").get("open").asBoolean());
        assertTrue(pods.get("pool").get("reason").asText().contains("IMDS timed out"));
        assertEquals(0, pods.get("pods").size());
        assertFalse(json("/v1/guard").get("running").asBoolean());
        assertEquals(0, json("/v1/enis").get("ENIs").size());
    }

    @Test
    void theListSettingsAndEniConfigAreServedAndNothingElse() throws Exception {
        serve();
        var commands = json("/").get("AvailableCommands");
        assertEquals(List.of("/v1/enis", "/v1/eni-configs", "/v1/networkutils-env-settings", "/v1/ipamd-env-settings",
                "/v1/pods", "/v1/guard"), JSON.convertValue(commands, List.class));
        assertEquals("us-west-2a", json("/v1/eni-configs").asText());
        assertEquals(1, json("/v1/ipamd-env-settings").get("WARM_ENI_TARGET").asInt());
        assertEquals("eni", json("/v1/networkutils-env-settings").get("AWS_VPC_K8S_CNI_VETHPREFIX").asText());
        assertEquals(404, get("/v1/unknown").statusCode());
    }
}
