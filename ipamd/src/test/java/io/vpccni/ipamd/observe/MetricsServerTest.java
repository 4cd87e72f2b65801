package io.vpccni.ipamd.observe;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsServerTest {
    @Test
    void servesPrometheusTextWithUpstreamsNamesAndRefreshesBeforeEachScrape() throws Exception {
        var registry = MetricsServer.newRegistry();
        try (var server = MetricsServer.start(registry, new InetSocketAddress("127.0.0.1", 0));
             var client = HttpClient.newHttpClient()) {
            var metrics = new DaemonMetrics(registry, server);
            metrics.buildInfo(registry, "1.2.3");
            var scrapes = new int[1];
            server.beforeScrape(() -> scrapes[0]++);
            var uri = URI.create("http://127.0.0.1:" + server.port() + "/metrics");

            var response = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            assertTrue(response.body().contains("awscni_build_info{javaversion=\"" + Runtime.version() + "\",version=\"1.2.3\"} 1"),
                    response.body());
            assertEquals(1, scrapes[0]);

            var post = client.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertEquals(405, post.statusCode());
        }
    }
}
