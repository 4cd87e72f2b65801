package io.vpccni.ipamd.rpc;

import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.vpccni.ipamd.pod.PodNetworks;
import io.vpccni.ipamd.pool.IpAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * The daemon's front door: gRPC over a Unix socket (mode 0660), serving CNIBackend, CNILifecycle and the
 * standard health service (as "" and upstream's "aws-node").
 */
public final class RpcServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RpcServer.class);
    public static final String HEALTH_SERVICE = "aws-node";

    private final SocketPath socketPath;
    private final EventLoopGroup loop;
    private final Server server;
    private final HealthStatusManager health;

    private RpcServer(SocketPath socketPath, EventLoopGroup loop, Server server, HealthStatusManager health) {
        this.socketPath = socketPath;
        this.loop = loop;
        this.server = server;
        this.health = health;
    }

    /** Claims {@code socket}, binds and starts serving. @throws IOException when the path is held or cannot be bound */
    public static RpcServer start(Path socket, PodNetworks pods, IpAllocator allocator, ClientVersions versions,
                                  NetworkFacts facts) throws IOException {
        return start(socket, pods, allocator, versions, facts, CallMetrics.NONE);
    }

    public static RpcServer start(Path socket, PodNetworks pods, IpAllocator allocator, ClientVersions versions,
                                  NetworkFacts facts, CallMetrics metrics) throws IOException {
        var claimed = SocketPath.claim(socket);
        // One event-loop thread accepts and serves every connection: it only moves frames (the calls run on gRPC's
        // executor) and a plugin call is one short connection.
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, new io.netty.util.concurrent.DefaultThreadFactory("grpc-io", false),
                EpollIoHandler.newFactory());
        try {
            var health = new HealthStatusManager();
            var server = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                    .channelType(EpollServerDomainSocketChannel.class)
                    .bossEventLoopGroup(loop)
                    .workerEventLoopGroup(loop)
                    .addService(new CniBackendService(pods, versions, facts, metrics))
                    .addService(new CniLifecycleService(pods, allocator, versions, metrics))
                    .addService(health.getHealthService())
                    .build()
                    .start();
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
            health.setStatus("", ServingStatus.SERVING);
            health.setStatus(HEALTH_SERVICE, ServingStatus.SERVING);
            log.info("serving gRPC on {} (daemon version {})", socket, versions.daemonVersion());
            return new RpcServer(claimed, loop, server, health);
        } catch (IOException | RuntimeException e) {
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            claimed.close();
            throw e;
        }
    }

    public Path socket() {
        return socketPath.socket();
    }

    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    @Override
    public void close() throws IOException {
        health.enterTerminalState();
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        socketPath.close();
        log.info("stopped serving on {}", socketPath.socket());
    }
}
