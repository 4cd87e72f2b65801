package io.vpccni.ipamd.observe;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * Prometheus metrics at {@code GET /metrics} (upstream: port 61678 on every address). The JDK's own HTTP
 * server is enough for one scrape every few seconds and adds no dependency; gRPC keeps Netty to itself.
 */
public final class MetricsServer implements AutoCloseable {
    public static final int DEFAULT_PORT = 61678;

    private final PrometheusMeterRegistry registry;
    private final List<Runnable> beforeScrape = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    private MetricsServer(PrometheusMeterRegistry registry, HttpServer server) {
        this.registry = registry;
        this.server = server;
    }

    public static MetricsServer start(PrometheusMeterRegistry registry, InetSocketAddress address) throws IOException {
        var server = HttpServer.create(address, 16);
        var metrics = new MetricsServer(registry, server);
        server.createContext("/metrics", exchange -> {
            try (exchange) {
                if (!exchange.getRequestMethod().equals("GET")) {
                    exchange.sendResponseHeaders(405, -1);
                    return;
                }
                metrics.beforeScrape.forEach(Runnable::run);
                var body = registry.scrape().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.setExecutor(Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("metrics").factory()));
        server.start();
        return metrics;
    }

    public static PrometheusMeterRegistry newRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    /** Work that refreshes labelled gauges from live state just before each scrape. */
    public void beforeScrape(Runnable refresh) {
        beforeScrape.add(refresh);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
