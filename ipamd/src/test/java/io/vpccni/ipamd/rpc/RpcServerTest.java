package io.vpccni.ipamd.rpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.vpccni.ipamd.testing.TestDaemon;
import io.vpccni.proto.AddNetworkRequest;
import io.vpccni.proto.CNIBackendGrpc;
import io.vpccni.proto.CNILifecycleGrpc;
import io.vpccni.proto.DelNetworkRequest;
import io.vpccni.proto.StatusRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The daemon's front door as upstream's own plugin would see it: grpc-java over the Unix socket. */
class RpcServerTest {
    @TempDir
    Path dir;
    private TestDaemon daemon;

    @BeforeEach
    void start() throws IOException {
        daemon = new TestDaemon(dir.resolve("ipamd.sock"), "10.0.1.5");
    }

    @AfterEach
    void stop() throws IOException {
        daemon.close();
    }

    private static AddNetworkRequest.Builder add(String containerId) {
        return AddNetworkRequest.newBuilder()
                .setClientVersion("v1.23.1")  // what upstream's plugin sends
                .setK8SPODNAMESPACE("default").setK8SPODNAME("web").setK8SPODINFRACONTAINERID(containerId)
                .setContainerID(containerId).setIfName("eth0").setNetworkName("aws-cni").setNetns("/var/run/netns/cni-1");
    }

    @Test
    void socketIsGroupReadableOnlyAndRemovedOnClose() throws IOException {
        var socket = daemon.server.socket();
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        daemon.close();
        assertFalse(Files.exists(socket));
        daemon = new TestDaemon(dir.resolve("again.sock"));
    }

    @Test
    void addAndDelRoundTripAnUpstreamShapedRequest() {
        var backend = CNIBackendGrpc.newBlockingStub(daemon.channel());
        var reply = backend.addNetwork(add("c1").build());
        assertTrue(reply.getSuccess());
        assertEquals("10.0.1.5", reply.getIPAllocationMetadata(0).getIPv4Addr());
        assertEquals(2, reply.getIPAllocationMetadata(0).getRouteTableId());
        assertEquals(java.util.List.of("10.0.0.0/16"), reply.getVPCv4CIDRsList());
        assertEquals("eth0", reply.getInterfaces().getContainerIfName());

        var del = backend.delNetwork(DelNetworkRequest.newBuilder().setClientVersion("1.0.0").setContainerID("c1")
                .setIfName("eth0").setNetworkName("aws-cni").setReason("PodDeleted").build());
        assertTrue(del.getSuccess());
        assertEquals("10.0.1.5", del.getIPAllocationMetadata(0).getIPv4Addr());
        // A second DEL is a success with nothing released.
        var again = backend.delNetwork(DelNetworkRequest.newBuilder().setClientVersion("1.0.0").setContainerID("c1")
                .setIfName("eth0").setNetworkName("aws-cni").build());
        assertTrue(again.getSuccess());
        assertEquals(0, again.getIPAllocationMetadataCount());
    }

    @Test
    void aClientOfAnotherMajorVersionIsRefusedWithBothVersions() {
        var backend = CNIBackendGrpc.newBlockingStub(daemon.channel());
        var e = assertThrows(StatusRuntimeException.class, () -> backend.addNetwork(add("c1").setClientVersion("2.0.0").build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("'2.0.0'"));
        assertTrue(e.getStatus().getDescription().contains("1.0.0"));
        assertEquals(0, daemon.allocator.status().assignedAddresses());
    }

    @Test
    void badRequestsGetInvalidArgumentNamingTheField() {
        var backend = CNIBackendGrpc.newBlockingStub(daemon.channel());
        var e = assertThrows(StatusRuntimeException.class, () -> backend.addNetwork(add("c1").setIfName("eth0/../x").build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("IfName 'eth0/../x'"), e.getStatus().getDescription());
        e = assertThrows(StatusRuntimeException.class, () -> backend.addNetwork(add("").build()));
        assertTrue(e.getStatus().getDescription().contains("ContainerID is empty"));
        e = assertThrows(StatusRuntimeException.class, () -> backend.addNetwork(add("c1").setNetns("").build()));
        assertTrue(e.getStatus().getDescription().contains("Netns is empty"));
    }

    @Test
    void anExhaustedPoolIsResourceExhaustedAndNotReadyIsUnavailable() {
        var backend = CNIBackendGrpc.newBlockingStub(daemon.channel());
        backend.addNetwork(add("c1").build());
        var e = assertThrows(StatusRuntimeException.class, () -> backend.addNetwork(add("c2").build()));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
        daemon.allocator.notReady("checkpoint /var/run/aws-node/ipam.json is unreadable");
        e = assertThrows(StatusRuntimeException.class, () -> backend.addNetwork(add("c3").build()));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("ipam.json is unreadable"));
    }

    @Test
    void wiringFailureIsInternalAndLeavesNoAddressBehind() {
        daemon.wiring.failSetUp = "RTM_NEWLINK eni0123456789a: EEXIST";
        var backend = CNIBackendGrpc.newBlockingStub(daemon.channel());
        var e = assertThrows(StatusRuntimeException.class, () -> backend.addNetwork(add("c1").build()));
        assertEquals(Status.Code.INTERNAL, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("EEXIST"));
        assertEquals(0, daemon.allocator.status().assignedAddresses());
    }

    @Test
    void statusAndHealthAreServed() {
        var lifecycle = CNILifecycleGrpc.newBlockingStub(daemon.channel());
        var status = lifecycle.status(StatusRequest.newBuilder().setClientVersion("1.0.0").setNetworkName("aws-cni").build());
        assertTrue(status.getReady());
        assertEquals(1, status.getAvailableAddresses());
        var health = HealthGrpc.newBlockingStub(daemon.channel());
        assertEquals(HealthCheckResponse.ServingStatus.SERVING,
                health.check(HealthCheckRequest.newBuilder().setService(RpcServer.HEALTH_SERVICE).build()).getStatus());
    }

    @Test
    void aSecondServerOnTheSameSocketRefusesToStart() {
        var e = assertThrows(IOException.class, () -> new TestDaemon(daemon.server.socket()));
        assertTrue(e.getMessage().contains("another aws-k8s-agent"), e.getMessage());
    }
}
