package io.vpccni.test.runtime;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.vpccni.test.runtime.cri.LinuxPodSandboxConfig;
import io.vpccni.test.runtime.cri.PodSandboxConfig;
import io.vpccni.test.runtime.cri.PodSandboxMetadata;
import io.vpccni.test.runtime.cri.PodSandboxStatus;
import io.vpccni.test.runtime.cri.PodSandboxStatusRequest;
import io.vpccni.test.runtime.cri.PortMapping;
import io.vpccni.test.runtime.cri.Protocol;
import io.vpccni.test.runtime.cri.RemovePodSandboxRequest;
import io.vpccni.test.runtime.cri.RunPodSandboxRequest;
import io.vpccni.test.runtime.cri.RuntimeServiceGrpc;
import io.vpccni.test.runtime.cri.StopPodSandboxRequest;
import io.vpccni.test.runtime.cri.VersionRequest;
import io.vpccni.test.runtime.cri.VersionResponse;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The kubelet's side of CRI, as far as pod networking goes: version, run a pod sandbox (with port mappings), its
 * status, stop, remove. Generated from the minimal runtime.v1 in src/test/protobuf, over containerd's Unix socket.
 */
final class CriClient implements AutoCloseable {
    /** A host port published by a sandbox, as a pod's {@code hostPort}. */
    record HostPort(int containerPort, int hostPort) {
    }

    private final EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    private final ManagedChannel channel;
    private final RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime;

    CriClient(Path socket) {
        channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .eventLoopGroup(loop).channelType(EpollDomainSocketChannel.class).usePlaintext().build();
        runtime = RuntimeServiceGrpc.newBlockingStub(channel);
    }

    VersionResponse version() {
        return stub().version(VersionRequest.newBuilder().setVersion("v1").build());
    }

    /** RunPodSandbox of pod {@code namespace/name} in the tier's cgroup. @return the sandbox id */
    String runPodSandbox(String namespace, String name, List<HostPort> ports) {
        var config = PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName(name).setNamespace(namespace)
                        .setUid(UUID.randomUUID().toString()).setAttempt(0))
                .setHostname(name)
                .setLinux(LinuxPodSandboxConfig.newBuilder().setCgroupParent("/" + CgroupHierarchy.PARENT));
        for (var p : ports) {
            config.addPortMappings(PortMapping.newBuilder().setProtocol(Protocol.TCP)
                    .setContainerPort(p.containerPort()).setHostPort(p.hostPort()));
        }
        return stub().runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(config).build()).getPodSandboxId();
    }

    PodSandboxStatus status(String sandboxId) {
        return stub().podSandboxStatus(PodSandboxStatusRequest.newBuilder().setPodSandboxId(sandboxId).build()).getStatus();
    }

    /** StopPodSandbox: the runtime's DEL with the sandbox's netns. */
    void stop(String sandboxId) {
        stub().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(sandboxId).build());
    }

    /** RemovePodSandbox: containerd's second DEL, with an empty CNI_NETNS. */
    void remove(String sandboxId) {
        stub().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(sandboxId).build());
    }

    /** A deadline per call: a runtime that hangs fails the test instead of the build. */
    private RuntimeServiceGrpc.RuntimeServiceBlockingStub stub() {
        return runtime.withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
