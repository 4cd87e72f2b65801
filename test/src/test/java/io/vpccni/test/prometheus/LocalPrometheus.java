package io.vpccni.test.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server (Debian's {@code prometheus}) on loopback in the test's network namespace, scraping one
 * target every second, and its HTTP query API. Closing it stops the server; its data lives in the test's directory.
 */
public final class LocalPrometheus implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/prometheus");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final URI api;
    private final Path log;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private LocalPrometheus(Process process, URI api, Path log) {
        this.process = process;
        this.api = api;
        this.log = log;
    }

    /** Starts Prometheus scraping {@code target} ({@code host:port}) as job {@code aws-node}. */
    public static LocalPrometheus start(Path dir, String target) throws IOException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: apt-get install prometheus (test/bin/requirements does)");
        }
        int port;
        try (var probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        var config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: aws-node
                    static_configs:
                      - targets: ['%s']
                """.formatted(target));
        var log = dir.resolve("prometheus.log");
        var process = new ProcessBuilder(BINARY.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new LocalPrometheus(process, URI.create("http://127.0.0.1:" + port), log);
    }

    /** An instant query's result: each series' labels (without {@code __name__}) rendered {@code {k="v",…}}, to its value. */
    public Map<String, Double> query(String promql) throws IOException, InterruptedException {
        var uri = api.resolve("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        var response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("query " + promql + ": HTTP " + response.statusCode() + " " + response.body());
        }
        var out = new LinkedHashMap<String, Double>();
        for (JsonNode series : JSON.readTree(response.body()).path("data").path("result")) {
            var labels = new StringBuilder();
            series.path("metric").properties().forEach(e -> {
                if (!e.getKey().equals("__name__")) {
                    labels.append(labels.isEmpty() ? "" : ",").append(e.getKey()).append("=\"").append(e.getValue().asText()).append('"');
                }
            });
            out.put("{" + labels + "}", Double.parseDouble(series.path("value").get(1).asText()));
        }
        return out;
    }

    /** The one value of a query that yields one series; empty when it yields none (not scraped yet), or the server is not up yet. */
    public java.util.Optional<Double> value(String promql) {
        try {
            var result = query(promql);
            return result.size() == 1 ? java.util.Optional.of(result.values().iterator().next()) : java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    public boolean running() {
        return process.isAlive();
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        client.close();
    }
}
