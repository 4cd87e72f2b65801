package io.vpccni.ipamd.testing;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.vpccni.ipamd.pod.PodNetworks;
import io.vpccni.ipamd.pod.PodWiring;
import io.vpccni.ipamd.rpc.ClientVersions;
import io.vpccni.ipamd.rpc.NetworkFacts;
import io.vpccni.ipamd.rpc.RpcServer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The daemon's real gRPC server on a temporary socket, over in-memory pool and wiring, plus a grpc-java client. */
public final class TestDaemon implements AutoCloseable {
    public final InMemoryAllocator allocator;
    public final RecordingWiring wiring = new RecordingWiring();
    public final RpcServer server;
    private EventLoopGroup clientLoop;
    private ManagedChannel channel;

    /** The real server over an in-memory pool and the given wiring (the real kernel wiring, in kernel tests). */
    public TestDaemon(Path socket, PodWiring podWiring, String... addresses) throws IOException {
        allocator = new InMemoryAllocator(addresses);
        server = start(socket, podWiring);
    }

    public TestDaemon(Path socket, String... addresses) throws IOException {
        allocator = new InMemoryAllocator(addresses);
        server = start(socket, wiring);
    }

    private RpcServer start(Path socket, PodWiring podWiring) throws IOException {
        return RpcServer.start(socket, new PodNetworks(allocator, podWiring), allocator, new ClientVersions("1.0.0"),
                new NetworkFacts() {
                    @Override
                    public boolean useExternalSnat() {
                        return false;
                    }

                    @Override
                    public List<String> vpcV4Cidrs() {
                        return List.of("10.0.0.0/16");
                    }
                });
    }

    /** A grpc-java client channel to this daemon, created on first use. */
    public synchronized ManagedChannel channel() {
        if (channel == null) {
            clientLoop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
            channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(server.socket().toString()))
                    .eventLoopGroup(clientLoop)
                    .channelType(EpollDomainSocketChannel.class)
                    .usePlaintext()
                    .build();
        }
        return channel;
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.shutdownNow();
            clientLoop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        }
        server.close();
    }
}
