package io.vpccni.ipamd.observe;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The metrics port is open to the whole VPC, so no client may hold it: a half-sent request neither blocks other
 * scrapes nor keeps its connection, and the number of connections is bounded. The long deadlines here only
 * bound a broken server (which would hang); nothing measures how fast the server is.
 */
class MetricsServerLimitsTest {
    private static final Duration ANSWER_DEADLINE = Duration.ofSeconds(60);

    private static InetSocketAddress loopback() {
        return new InetSocketAddress("127.0.0.1", 0);
    }

    private static Socket connect(MetricsServer server) throws IOException {
        var socket = new Socket("127.0.0.1", server.port());
        socket.setSoTimeout((int) ANSWER_DEADLINE.toMillis());
        return socket;
    }

    private static HttpRequest scrape(MetricsServer server) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                .timeout(ANSWER_DEADLINE).build();
    }

    @Test
    void aHalfSentRequestNeitherStallsOtherScrapesNorKeepsItsConnection() throws Exception {
        var registry = MetricsServer.newRegistry();
        registry.counter("awscni_probe").increment();
        var limits = new HttpEndpointServer.Limits(8, Duration.ofSeconds(2));
        try (var server = MetricsServer.start(registry, loopback(), limits);
             var stalled = connect(server);
             var client = HttpClient.newHttpClient()) {
            stalled.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: node\r\n".getBytes(StandardCharsets.US_ASCII));
            stalled.getOutputStream().flush();

            var response = client.send(scrape(server), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertTrue(response.body().contains("awscni_probe_total 1.0"), response.body());

            // Whatever the server says before closing, it must close: readAllBytes returns only at EOF.
            stalled.getInputStream().readAllBytes();
        }
    }

    @Test
    void aClientThatSendsNothingIsClosedToo() throws Exception {
        try (var server = MetricsServer.start(MetricsServer.newRegistry(), loopback(),
                new HttpEndpointServer.Limits(8, Duration.ofSeconds(1)));
             var silent = connect(server)) {
            assertEquals(-1, silent.getInputStream().read());
        }
    }

    @Test
    void connectionsBeyondTheLimitAreRefusedAndTheirSlotsComeBack() throws Exception {
        var limits = new HttpEndpointServer.Limits(2, ANSWER_DEADLINE.multipliedBy(2));
        try (var server = MetricsServer.start(MetricsServer.newRegistry(), loopback(), limits);
             var client = HttpClient.newHttpClient()) {
            try (var first = connect(server); var second = connect(server); var third = connect(server)) {
                // The idle ones are kept far longer than this waits, so EOF here is the limit at work.
                assertEquals(-1, third.getInputStream().read(), "the connection over the limit is closed at once");
                first.getOutputStream().write("GET /metrics HTTP/1.1\r\nHost: node\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                var answer = new String(first.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertTrue(answer.startsWith("HTTP/1.1 200 "), "the connections within the limit are served: " + answer);
            }
            // The server frees the slots when it sees the closes; scrape until it does.
            var deadline = Instant.now().plus(ANSWER_DEADLINE);
            while (true) {
                try {
                    assertEquals(200, client.send(scrape(server), HttpResponse.BodyHandlers.discarding()).statusCode());
                    break;
                } catch (IOException refusedWhileSlotsWereTaken) {
                    if (Instant.now().isAfter(deadline)) {
                        throw refusedWhileSlotsWereTaken;
                    }
                    Thread.onSpinWait();
                }
            }
        }
    }

    @Test
    void onlyMetricsIsServedAndOnlyToGet() throws Exception {
        try (var server = MetricsServer.start(MetricsServer.newRegistry(), loopback(), HttpEndpointServer.Limits.DEFAULT);
             var client = HttpClient.newHttpClient()) {
            var other = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/debug")).build();
            assertEquals(404, client.send(other, HttpResponse.BodyHandlers.discarding()).statusCode());
            var withQuery = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics?x=1")).build();
            assertEquals(200, client.send(withQuery, HttpResponse.BodyHandlers.discarding()).statusCode());
        }
    }

    /** The daemon logs a port in use and runs on without metrics, as before: that needs an IOException. */
    @Test
    void aPortInUseIsReportedAsAnIoException() throws Exception {
        try (var first = MetricsServer.start(MetricsServer.newRegistry(), loopback())) {
            assertThrows(IOException.class, () -> MetricsServer.start(MetricsServer.newRegistry(),
                    new InetSocketAddress("127.0.0.1", first.port())));
        }
    }
}
