package io.vpccni.ipamd.observe;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Prometheus metrics at {@code GET /metrics} (upstream: port 61678 on every address, since Prometheus scrapes
 * from off the node). Being reachable from the whole VPC, it runs on a {@link HttpEndpointServer}, which no client
 * can hold. Upstream's counters keep upstream's names on the wire ({@link UpstreamCounterNames}).
 */
public final class MetricsServer implements AutoCloseable {
    public static final int DEFAULT_PORT = 61678;
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final List<Runnable> beforeScrape = new CopyOnWriteArrayList<>();
    private HttpEndpointServer http;

    private MetricsServer() {
    }

    public static MetricsServer start(PrometheusMeterRegistry registry, InetSocketAddress address) throws IOException {
        return start(registry, address, HttpEndpointServer.Limits.DEFAULT);
    }

    public static MetricsServer start(PrometheusMeterRegistry registry, InetSocketAddress address,
                                      HttpEndpointServer.Limits limits) throws IOException {
        var server = new MetricsServer();
        Endpoint scrape = () -> {
            server.beforeScrape.forEach(Runnable::run);
            return Endpoint.Response.text(PROMETHEUS_TEXT, UpstreamCounterNames.apply(registry.scrape()));
        };
        server.http = HttpEndpointServer.start("metrics", Map.of("/metrics", scrape), address, limits);
        return server;
    }

    public static PrometheusMeterRegistry newRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    /** Work that refreshes labelled gauges from live state just before each scrape. */
    public void beforeScrape(Runnable refresh) {
        beforeScrape.add(refresh);
    }

    public int port() {
        return http.port();
    }

    @Override
    public void close() {
        http.close();
    }
}
