package io.vpccni.ipamd.doctor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The introspection client against a local server: the contract parses; a daemon down or answering garbage is a reason, not an exception. */
class DoctorIntrospectionTest {
    static final String PODS = """
            {"pool":{"open":true,"reason":"","availableAddresses":8,"assignedAddresses":1,"maxPods":29},
             "pods":[{"namespace":"default","name":"web-1","containerId":"c1","ifName":"eth0","networkName":"aws-cni","ip":"10.9.1.50",
                      "eniId":"eni-0sec","deviceNumber":1,"routeTable":2,"hostVeth":"eni1a2b3c4d5e6","assignedAt":"2026-01-01T00:00:00Z",
                      "wiring":{"checked":"host+pod","healthy":false,"drifts":[{"object":"rule 1536 from 10.9.1.50","expected":"present","actual":"missing"}]},
                      "futureField":42}]}
            """;
    static final String GUARD = """
            {"enis":[{"eniId":"eni-0sec","mac":"02:00:00:00:00:06","link":"ens6","linkIndex":6,"primary":false,"deviceNumber":1,"routeTable":2,
                      "primaryIp":"10.9.1.20","owner":"systemd-networkd","ownerDetail":"ADMIN_STATE=configured","refused":true}],
             "heals":{"restored":{"rules":12,"routes":3,"addresses":1},
                      "recent":[{"at":"2026-01-01T00:00:01Z","cause":"netlink: rule removed","rules":2,"routes":0,"addresses":0}]}}
            """;

    private CannedHttp http;
    private IntrospectionClient client;

    @BeforeEach
    void start() throws IOException {
        http = new CannedHttp();
        client = new IntrospectionClient(http.base(), Duration.ofMillis(300));
    }

    @AfterEach
    void stop() {
        client.close();
        http.close();
    }

    @Test
    void theContractParsesIntoRecordsAndUnknownFieldsAreIgnored() {
        http.answer("GET /v1/pods", PODS).answer("GET /v1/guard", GUARD);
        var pods = assertInstanceOf(Answer.Got.class, client.pods()).value();
        var expected = new PodsView(new PodsView.Pool(true, "", 8, 1, 29), List.of(new PodsView.Pod("default", "web-1", "c1", "eth0", "aws-cni",
                "10.9.1.50", "eni-0sec", 1, 2, "eni1a2b3c4d5e6", "2026-01-01T00:00:00Z", new PodsView.Wiring("host+pod", false,
                List.of(new PodsView.Drift("rule 1536 from 10.9.1.50", "present", "missing"))))));
        assertEquals(expected, pods);
        var guard = (GuardView) assertInstanceOf(Answer.Got.class, client.guard()).value();
        assertEquals(new GuardView.Eni("eni-0sec", "02:00:00:00:00:06", "ens6", 6, false, 1, 2, "10.9.1.20", "systemd-networkd",
                "ADMIN_STATE=configured", true), guard.enis().getFirst());
        assertEquals(new GuardView.Restored(12, 3, 1), guard.heals().restored());
        assertEquals("netlink: rule removed", guard.heals().recent().getFirst().cause());
    }

    @Test
    void aMissingFieldIsRefusedWithItsPath() {
        http.answer("GET /v1/pods", PODS.replace("\"maxPods\":29", "\"maxPodz\":29"));
        var failed = assertInstanceOf(Answer.Failed.class, client.pods());
        assertTrue(failed.why().contains("answered something other than the introspection JSON (pool.maxPods: Missing creator property 'maxPods')"),
                failed.why());
        http.answer("GET /v1/guard", GUARD.replace("\"refused\":true", "\"refused\":null"));
        var nulled = assertInstanceOf(Answer.Failed.class, client.guard());
        assertTrue(nulled.why().contains("enis[0].refused"), nulled.why());
    }

    @Test
    void garbageAnErrorStatusSilenceAndNobodyListeningAreEachAReason() {
        http.answer("GET /v1/pods", "<html>proxy error</html>");
        assertTrue(((Answer.Failed<?>) client.pods()).why().contains("it is not JSON"), client.pods().toString());
        http.answer("GET /v1/guard", 500, "boom");
        assertTrue(((Answer.Failed<?>) client.guard()).why().endsWith("answered HTTP 500: boom"), client.guard().toString());
        http.answer("GET /v1/guard", CannedHttp.HANG);
        assertTrue(((Answer.Failed<?>) client.guard()).why().endsWith("got no answer within 300 ms"), client.guard().toString());
        var base = http.base();
        http.close();
        try (var gone = new IntrospectionClient(base, Duration.ofMillis(300))) {
            assertTrue(((Answer.Failed<?>) gone.pods()).why().contains("connection refused"), gone.pods().toString());
        }
    }

    @Test
    void theBindAddressIsReachedOnLoopbackWhenBoundEverywhere() {
        assertEquals("http://127.0.0.1:61679", IntrospectionClient.baseOf(new java.net.InetSocketAddress("127.0.0.1", 61679)).toString());
        assertEquals("http://127.0.0.1:61679", IntrospectionClient.baseOf(new java.net.InetSocketAddress(61679)).toString());
        assertEquals("http://10.0.0.5:8080", IntrospectionClient.baseOf(new java.net.InetSocketAddress("10.0.0.5", 8080)).toString());
    }
}
