package io.vpccni.ipamd.observe;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus metrics at {@code GET /metrics} (upstream: port 61678 on every address, since Prometheus scrapes
 * from off the node).
 *
 * <p>Being reachable from the whole VPC, the port must not be holdable by any one client. Netty (already the
 * daemon's, for gRPC) reads every connection without blocking on one event-loop thread, so a client that sends
 * half a request costs a buffer, not a thread; {@link ConnectionPacing} closes it when its request is not
 * complete in time, and {@link ConnectionLimit} bounds how many connections there are. Scrapes run on a thread
 * of their own, so refreshing gauges from live state never delays reading other connections.
 */
public final class MetricsServer implements AutoCloseable {
    public static final int DEFAULT_PORT = 61678;

    /**
     * What one server allows.
     *
     * @param maxConnections connections open at once; more are closed as soon as they are accepted
     * @param requestTimeout how long a connection may take to send a complete request, counted from its
     *                       opening or from the last response: longer and it is closed
     */
    public record Limits(int maxConnections, Duration requestTimeout) {
        /** A few scrapers (an HA pair of Prometheus, an agent, a person with curl) with room to spare; a request
         * is one short GET, which arrives in milliseconds, and Prometheus's own scrape timeout is 10 s. */
        public static final Limits DEFAULT = new Limits(32, Duration.ofSeconds(10));

        public Limits {
            if (maxConnections < 1 || requestTimeout.isNegative() || requestTimeout.isZero()) {
                throw new IllegalArgumentException("metrics server: need at least 1 connection and a positive "
                        + "request timeout, got " + maxConnections + " and " + requestTimeout);
            }
        }
    }

    /** One request line and a few headers: enough for any scraper; anything bigger is not a scrape. */
    private static final int MAX_REQUEST_BYTES = 8192;

    private final List<Runnable> beforeScrape = new CopyOnWriteArrayList<>();
    private final EventLoopGroup io;
    private final EventExecutorGroup scrapes;
    private Channel listener;

    private MetricsServer(EventLoopGroup io, EventExecutorGroup scrapes) {
        this.io = io;
        this.scrapes = scrapes;
    }

    public static MetricsServer start(PrometheusMeterRegistry registry, InetSocketAddress address) throws IOException {
        return start(registry, address, Limits.DEFAULT);
    }

    public static MetricsServer start(PrometheusMeterRegistry registry, InetSocketAddress address, Limits limits)
            throws IOException {
        var server = new MetricsServer(
                new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("metrics-io", true), NioIoHandler.newFactory()),
                new DefaultEventExecutorGroup(1, new DefaultThreadFactory("metrics-scrape", true)));
        var scrape = new ScrapeHandler(() -> {
            server.beforeScrape.forEach(Runnable::run);
            return registry.scrape();
        });
        var bootstrap = new ServerBootstrap()
                .group(server.io)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, limits.maxConnections())
                .handler(new ConnectionLimit(limits.maxConnections()))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(
                                new HttpServerCodec(4096, MAX_REQUEST_BYTES, MAX_REQUEST_BYTES),
                                new HttpObjectAggregator(MAX_REQUEST_BYTES),
                                new ConnectionPacing(limits.requestTimeout()));
                        ch.pipeline().addLast(server.scrapes, "scrape", scrape);
                    }
                });
        var bound = bootstrap.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            server.close();
            throw bound.cause() instanceof IOException e ? e : new IOException(bound.cause());
        }
        server.listener = bound.channel();
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
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        io.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        scrapes.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
