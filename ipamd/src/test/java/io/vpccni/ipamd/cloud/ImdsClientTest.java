package io.vpccni.ipamd.cloud;

import static com.github.tomakehurst.wiremock.client.WireMock.*;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ImdsClientTest {
    private static final String MAC = "0a:1b:2c:3d:4e:5f";
    private static final String MACS = "/latest/meta-data/network/interfaces/macs/";

    private WireMockServer imds;
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2025-01-01T00:00:00Z"));
    private ImdsClient client;

    @BeforeEach
    void start() {
        imds = new WireMockServer(options().dynamicPort());
        imds.start();
        imds.stubFor(put("/latest/api/token").withHeader("X-aws-ec2-metadata-token-ttl-seconds", equalTo("21600"))
                .willReturn(ok("token-1")));
        // Generous: on a loaded build machine WireMock's first answer can take longer than a real IMDS's.
        client = new ImdsClient(URI.create(imds.baseUrl()), Duration.ofSeconds(10), (InstantSource) now::get);
    }

    @AfterEach
    void stop() {
        client.close();
        imds.stop();
    }

    private void meta(String path, String body) {
        imds.stubFor(get("/latest/meta-data/" + path).withHeader("X-aws-ec2-metadata-token", equalTo("token-1"))
                .willReturn(ok(body)));
    }

    @Test
    void takesATokenOnceThenSendsItOnEveryGet() throws Exception {
        meta("instance-id", "i-0123456789abcdef0");
        meta("instance-type", "m5.large");
        meta("placement/availability-zone", "us-west-2a");
        meta("local-ipv4", "10.0.1.10");
        meta("mac", "0A:1B:2C:3D:4E:5F");

        assertEquals("i-0123456789abcdef0", client.instanceId());
        assertEquals("m5.large", client.instanceType());
        assertEquals("us-west-2a", client.availabilityZone());
        assertEquals("10.0.1.10", client.localIpv4());
        assertEquals(MAC, client.primaryMac());

        imds.verify(1, putRequestedFor(urlEqualTo("/latest/api/token")));
        imds.verify(5, getRequestedFor(urlMatching("/latest/meta-data/.*"))
                .withHeader("X-aws-ec2-metadata-token", equalTo("token-1")));
    }

    @Test
    void readsEveryPerMacPath() throws Exception {
        meta("network/interfaces/macs/", MAC + "/\n0a:00:00:00:00:02/\n");
        var p = "network/interfaces/macs/" + MAC + "/";
        meta(p + "interface-id", "eni-0aaa");
        meta(p + "device-number", "0");
        meta(p + "network-card", "1");
        meta(p + "subnet-id", "subnet-0aaa");
        meta(p + "vpc-id", "vpc-0aaa");
        meta(p + "subnet-ipv4-cidr-block", "10.0.0.0/24");
        meta(p + "vpc-ipv4-cidr-blocks", "10.0.0.0/16\n100.64.0.0/16");
        meta(p + "security-group-ids", "sg-1\nsg-2\n");
        meta(p + "local-ipv4s", "10.0.0.10\n10.0.0.11\n10.0.0.12");
        meta(p + "ipv4-prefix", "10.0.0.16/28\n10.0.0.32/28");

        assertEquals(List.of(MAC, "0a:00:00:00:00:02"), client.macs());
        assertEquals("eni-0aaa", client.interfaceId(MAC));
        assertEquals(0, client.deviceNumber(MAC));
        assertEquals(1, client.networkCard(MAC));
        assertEquals("subnet-0aaa", client.subnetId(MAC));
        assertEquals("vpc-0aaa", client.vpcId(MAC));
        assertEquals("10.0.0.0/24", client.subnetIpv4CidrBlock(MAC));
        assertEquals(List.of("10.0.0.0/16", "100.64.0.0/16"), client.vpcIpv4CidrBlocks(MAC));
        assertEquals(List.of("sg-1", "sg-2"), client.securityGroupIds(MAC));
        assertEquals(List.of("10.0.0.10", "10.0.0.11", "10.0.0.12"), client.localIpv4s(MAC));
        assertEquals(List.of("10.0.0.16/28", "10.0.0.32/28"), client.ipv4Prefixes(MAC));
    }

    @Test
    void notFoundOnOptionalPathsMeansNone() throws Exception {
        var p = "/latest/meta-data/network/interfaces/macs/" + MAC + "/";
        imds.stubFor(get(p + "ipv4-prefix").willReturn(notFound()));
        imds.stubFor(get(p + "network-card").willReturn(notFound()));

        assertEquals(List.of(), client.ipv4Prefixes(MAC));
        assertEquals(0, client.networkCard(MAC));
    }

    @Test
    void notFoundOnARequiredPathIsAnErrorNamingThePath() {
        imds.stubFor(get(MACS + MAC + "/interface-id").willReturn(notFound()));

        var e = assertThrows(MetadataException.class, () -> client.interfaceId(MAC));
        assertEquals(404, e.status());
        assertEquals("network/interfaces/macs/" + MAC + "/interface-id", e.path());
        assertTrue(e.getMessage().contains("network/interfaces/macs/" + MAC + "/interface-id"), e.getMessage());
    }

    @Test
    void a401RenewsTheTokenOnceAndRetries() throws Exception {
        imds.stubFor(put("/latest/api/token").inScenario("token").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(ok("token-1")).willSetStateTo("second"));
        imds.stubFor(put("/latest/api/token").inScenario("token").whenScenarioStateIs("second")
                .willReturn(ok("token-2")));
        imds.stubFor(get("/latest/meta-data/instance-id").withHeader("X-aws-ec2-metadata-token", equalTo("token-1"))
                .willReturn(unauthorized()));
        imds.stubFor(get("/latest/meta-data/instance-id").withHeader("X-aws-ec2-metadata-token", equalTo("token-2"))
                .willReturn(ok("i-1")));

        assertEquals("i-1", client.instanceId());
        imds.verify(2, putRequestedFor(urlEqualTo("/latest/api/token")));
    }

    @Test
    void a401WithTheFreshTokenTooIsAnError() {
        imds.stubFor(get("/latest/meta-data/instance-id").willReturn(unauthorized()));

        var e = assertThrows(MetadataException.class, () -> client.instanceId());
        assertEquals(401, e.status());
        assertTrue(e.getMessage().contains("instance-id"), e.getMessage());
        imds.verify(2, putRequestedFor(urlEqualTo("/latest/api/token")));
        imds.verify(2, getRequestedFor(urlEqualTo("/latest/meta-data/instance-id")));
    }

    @Test
    void renewsTheTokenBeforeItExpires() throws Exception {
        meta("instance-id", "i-1");
        client.instanceId();
        now.set(now.get().plus(Duration.ofHours(5)));
        client.instanceId();
        imds.verify(1, putRequestedFor(urlEqualTo("/latest/api/token")));

        now.set(now.get().plus(Duration.ofMinutes(59).plusSeconds(30)));
        client.instanceId();
        imds.verify(2, putRequestedFor(urlEqualTo("/latest/api/token")));
    }

    @Test
    void aRefusedTokenSaysIMDSv2MustBeEnabled() {
        imds.stubFor(put("/latest/api/token").willReturn(forbidden()));

        var e = assertThrows(MetadataException.class, () -> client.instanceId());
        assertEquals(403, e.status());
        assertTrue(e.getMessage().contains("IMDSv2"), e.getMessage());
    }

    @Test
    void aSlowAnswerTimesOutNamingThePath() throws Exception {
        imds.stubFor(get("/latest/meta-data/local-ipv4").willReturn(ok("10.0.0.1").withFixedDelay(3_000)));

        imds.stubFor(get("/latest/meta-data/instance-type").willReturn(ok("m5.large")));
        try (var impatient = new ImdsClient(URI.create(imds.baseUrl()), Duration.ofMillis(500), (InstantSource) now::get)) {
            // The token first (retried: a loaded machine may be slower than 500 ms once), so only the slow path can time out.
            for (var attempt = 1; ; attempt++) {
                try {
                    assertEquals("m5.large", impatient.instanceType());
                    break;
                } catch (MetadataException e) {
                    if (attempt == 20) {
                        throw e;
                    }
                }
            }
            var e = assertThrows(MetadataException.class, impatient::localIpv4);
            assertEquals(0, e.status());
            assertEquals("local-ipv4", e.path());
            assertTrue(e.getMessage().contains("timed out"), e.getMessage());
        }
    }

    @Test
    void aServerErrorNamesThePathAndStatus() {
        imds.stubFor(get("/latest/meta-data/instance-type").willReturn(serverError()));

        var e = assertThrows(MetadataException.class, () -> client.instanceType());
        assertEquals(500, e.status());
        assertTrue(e.getMessage().contains("instance-type") && e.getMessage().contains("500"), e.getMessage());
    }

    @Test
    void nothingListeningIsAnErrorNamingThePath() throws Exception {
        int port;
        try (var s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (var dead = new ImdsClient(URI.create("http://127.0.0.1:" + port), Duration.ofMillis(500),
                InstantSource.system())) {
            var e = assertThrows(MetadataException.class, dead::instanceId);
            assertEquals(0, e.status());
            assertTrue(e.getMessage().contains("api/token"), e.getMessage());
        }
    }
}
