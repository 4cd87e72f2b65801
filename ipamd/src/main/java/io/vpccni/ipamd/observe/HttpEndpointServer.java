package io.vpccni.ipamd.observe;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A small, bounded HTTP/1.1 server of GET endpoints, on a TCP address or a Unix socket: what the metrics and the
 * introspection ports are built on.
 *
 * <p>No client can hold it. Netty (already the daemon's, for gRPC) reads every connection without blocking on one
 * event-loop thread, so a client that sends half a request costs a buffer, not a thread; {@link ConnectionPacing}
 * closes it when its request is not complete in time, and {@link ConnectionLimit} bounds how many connections there
 * are. Endpoints run on a thread of their own, so computing an answer from live state never delays reading other
 * connections, and never runs on a thread that serves pods.
 */
public final class HttpEndpointServer implements AutoCloseable {
    /**
     * What one server allows.
     *
     * @param maxConnections connections open at once; more are closed as soon as they are accepted
     * @param requestTimeout how long a connection may take to send a complete request, counted from its
     *                       opening or from the last response: longer and it is closed
     */
    public record Limits(int maxConnections, Duration requestTimeout) {
        /** A few clients (an HA pair of Prometheus, an agent, a person with curl) with room to spare; a request
         * is one short GET, which arrives in milliseconds, and Prometheus's own scrape timeout is 10 s. */
        public static final Limits DEFAULT = new Limits(32, Duration.ofSeconds(10));

        public Limits {
            if (maxConnections < 1 || requestTimeout.isNegative() || requestTimeout.isZero()) {
                throw new IllegalArgumentException("HTTP server: need at least 1 connection and a positive "
                        + "request timeout, got " + maxConnections + " and " + requestTimeout);
            }
        }
    }

    /** One request line and a few headers: enough for any client of these endpoints; anything bigger is not one. */
    private static final int MAX_REQUEST_BYTES = 8192;

    private final EventLoopGroup io;
    private final EventExecutorGroup handlers;
    private Channel listener;

    private HttpEndpointServer(EventLoopGroup io, EventExecutorGroup handlers) {
        this.io = io;
        this.handlers = handlers;
    }

    /**
     * @param name    names the server's threads and its log lines ("metrics", "introspection")
     * @param address an {@link InetSocketAddress} or a Netty {@link DomainSocketAddress}
     * @throws IOException when the address cannot be bound
     */
    public static HttpEndpointServer start(String name, Map<String, Endpoint> routes, SocketAddress address, Limits limits)
            throws IOException {
        var server = new HttpEndpointServer(
                new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(name + "-io", true), EpollIoHandler.newFactory()),
                new DefaultEventExecutorGroup(1, new DefaultThreadFactory(name + "-http", true)));
        var handler = new RouteHandler(name, routes);
        if (address instanceof DomainSocketAddress unix) {
            removeStaleSocket(Path.of(unix.path()));
        }
        var bootstrap = new ServerBootstrap()
                .group(server.io)
                .channel(address instanceof DomainSocketAddress ? EpollServerDomainSocketChannel.class : EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, limits.maxConnections())
                .handler(new ConnectionLimit(limits.maxConnections()))
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(
                                new HttpServerCodec(4096, MAX_REQUEST_BYTES, MAX_REQUEST_BYTES),
                                new HttpObjectAggregator(MAX_REQUEST_BYTES),
                                new ConnectionPacing(limits.requestTimeout()));
                        ch.pipeline().addLast(server.handlers, "endpoint", handler);
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

    /**
     * A socket file left by a killed daemon would refuse the bind; only a socket is removed, never another file at
     * that path (a misconfigured address must not delete anything else).
     */
    private static void removeStaleSocket(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        var mode = (int) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw new IOException(path + " exists and is not a socket; not replacing it");
        }
        Files.delete(path);
    }

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    /** The TCP port bound (for a server started on port 0); -1 on a Unix socket. */
    public int port() {
        return listener.localAddress() instanceof InetSocketAddress inet ? inet.getPort() : -1;
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        io.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        handlers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
