package io.vpccni.ipamd.doctor;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.vpccni.proto.CNILifecycleGrpc;
import io.vpccni.proto.StatusRequest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** CNI STATUS over the daemon's gRPC Unix socket, as the plugin asks it, with a deadline. */
final class StatusClient {
    private final Path socket;
    private final String clientVersion;
    private final Duration deadline;

    StatusClient(Path socket, String clientVersion, Duration deadline) {
        this.socket = socket;
        this.clientVersion = clientVersion;
        this.deadline = deadline;
    }

    Answer<DaemonStatus> status() {
        if (!Files.exists(socket)) {
            return Answer.failed("there is no socket at " + socket + " (IPAMD_SOCKET_PATH): aws-k8s-agent is not serving");
        }
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        ManagedChannel channel = null;
        try {
            channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                    .eventLoopGroup(loop).channelType(EpollDomainSocketChannel.class).usePlaintext().build();
            var reply = CNILifecycleGrpc.newBlockingStub(channel).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                    .status(StatusRequest.newBuilder().setClientVersion(clientVersion).setNetworkName("aws-cni").build());
            return Answer.got(new DaemonStatus(reply.getReady(), reply.getReason(), reply.getAvailableAddresses(),
                    reply.getAssignedAddresses()));
        } catch (StatusRuntimeException e) {
            return Answer.failed("STATUS on " + socket + " failed: " + e.getStatus().getCode()
                    + (e.getStatus().getDescription() == null ? "" : " (" + e.getStatus().getDescription() + ")"));
        } catch (RuntimeException e) {
            return Answer.failed("STATUS on " + socket + " failed: " + e);
        } finally {
            // A short-lived process must not leave an I/O thread in a native call when it exits.
            if (channel != null) {
                channel.shutdownNow();
                try {
                    channel.awaitTermination(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
