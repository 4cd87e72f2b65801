package io.vpccni.cni.grpc;

import io.vpccni.cni.wire.Messages;
import io.vpccni.cni.wire.PodCall;
import io.vpccni.ipamd.pod.Drift;
import io.vpccni.ipamd.testing.TestDaemon;
import io.vpccni.proto.AddNetworkRequest;
import io.vpccni.proto.CheckNetworkRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

import static io.vpccni.cni.grpc.GrpcClient.CONTINUATION;
import static io.vpccni.cni.grpc.GrpcClient.DATA;
import static io.vpccni.cni.grpc.GrpcClient.END_HEADERS;
import static io.vpccni.cni.grpc.GrpcClient.END_STREAM;
import static io.vpccni.cni.grpc.GrpcClient.GOAWAY;
import static io.vpccni.cni.grpc.GrpcClient.HEADERS;
import static io.vpccni.cni.grpc.GrpcClient.PADDED;
import static io.vpccni.cni.grpc.GrpcClient.PING;
import static io.vpccni.cni.grpc.GrpcClient.RST_STREAM;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hand-written HTTP/2 gRPC client against the daemon's real grpc-java server, and against scripted peers. */
class GrpcClientTest {
    private static final String ADD = "/rpc.CNIBackend/AddNetwork";
    private static final String CHECK = "/rpc.CNILifecycle/CheckNetwork";

    @TempDir
    Path dir;

    private static PodCall call(String containerId, String podName) {
        return new PodCall("aws-cni", containerId, "eth0", "/var/run/netns/cni-1", "default", podName, "uid", containerId,
                9001, "eni", "strict", null);
    }

    @Test
    void unaryCallAgainstTheRealServer() throws Exception {
        try (var daemon = new TestDaemon(dir.resolve("ipamd.sock"), "10.0.1.5")) {
            var client = new GrpcClient(daemon.server.socket(), "aws-cni/test");
            var reply = Messages.addNetworkReply(client.call(ADD, Messages.addNetworkRequest("1.0.0", call("c1", "web")), 5_000));
            assertEquals("10.0.1.5", reply.ipv4());
            assertEquals("eth0", reply.interfaces().containerIfName());
        }
    }

    @Test
    void errorStatusAndMessageSurviveIncludingNonAscii() throws Exception {
        try (var daemon = new TestDaemon(dir.resolve("ipamd.sock"))) {
            daemon.allocator.notReady("checkpoint ipam.json is unreadable — «version 9» is unknown; fix: see README");
            var client = new GrpcClient(daemon.server.socket(), "aws-cni/test");
            var e = assertThrows(GrpcException.class, () -> client.call(ADD, Messages.addNetworkRequest("1.0.0", call("c1", "web")), 5_000));
            assertEquals(GrpcException.UNAVAILABLE, e.code());
            assertTrue(e.getMessage().contains("— «version 9» is unknown; fix: see README"), e.getMessage());

            e = assertThrows(GrpcException.class, () -> client.call(ADD, Messages.addNetworkRequest("7.0.0", call("c1", "web")), 5_000));
            assertEquals(GrpcException.FAILED_PRECONDITION, e.code());
            assertTrue(e.getMessage().contains("'7.0.0'"), e.getMessage());

            e = assertThrows(GrpcException.class, () -> client.call("/rpc.CNIBackend/NoSuchMethod", new byte[0], 5_000));
            assertEquals(GrpcException.UNIMPLEMENTED, e.code());
        }
    }

    @Test
    void requestsAndRepliesLargerThanFramesAndWindowsFlowThrough() throws Exception {
        try (var daemon = new TestDaemon(dir.resolve("ipamd.sock"), "10.0.1.5")) {
            var client = new GrpcClient(daemon.server.socket(), "aws-cni/test");
            // A 2 MiB request: more than the server's 1 MiB window, so the client must wait for WINDOW_UPDATEs. The
            // daemon refuses a pod name that long, and says how long it was: all of it arrived.
            var hugeName = "p".repeat(2 << 20);
            var refused = assertThrows(GrpcException.class,
                    () -> client.call(ADD, Messages.addNetworkRequest("1.0.0", call("c0", hugeName)), 10_000));
            assertEquals(GrpcException.INVALID_ARGUMENT, refused.code());
            assertTrue(refused.getMessage().contains("K8S_POD_NAME is 2097152 characters long"), refused.getMessage());
            var reply = Messages.addNetworkReply(client.call(ADD, Messages.addNetworkRequest("1.0.0", call("c1", "web")), 10_000));
            assertEquals("10.0.1.5", reply.ipv4());

            // A ~3 MiB reply: more than the 1 MiB window this client grants, so it must send WINDOW_UPDATEs.
            var drifts = new ArrayList<Drift>();
            for (var i = 0; i < 3000; i++) {
                drifts.add(new Drift("rule " + i, "x".repeat(500), "y".repeat(500)));
            }
            daemon.wiring.drifts = drifts;
            var check = CheckNetworkRequest.newBuilder().setClientVersion("1.0.0").setNetworkName("aws-cni")
                    .setContainerID("c1").setIfName("eth0").build().toByteArray();
            var decoded = Messages.checkNetworkReply(client.call(CHECK, check, 10_000));
            assertEquals(3000, decoded.size());
            assertEquals("x".repeat(500), decoded.get(2999).expected());
        }
    }

    @Test
    void anUnreachableSocketIsAConnectFailureNamingThePath() {
        var socket = dir.resolve("missing.sock");
        var e = assertThrows(TransportException.class, () -> new GrpcClient(socket, "t").call(ADD, new byte[0], 1_000));
        assertEquals(TransportException.Phase.CONNECT, e.phase());
        assertFalse(e.deadlinePassed());
        assertTrue(e.getMessage().contains("ipamd is not reachable at " + socket), e.getMessage());
    }

    @Test
    void aDaemonThatNeverAnswersHitsTheDeadlineWhileWaitingForTheReply() throws Exception {
        var socket = dir.resolve("hang.sock");
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            var e = assertThrows(TransportException.class, () -> new GrpcClient(socket, "t").call(ADD, new byte[10], 1_000));
            assertTrue(e.deadlinePassed());
            assertEquals(TransportException.Phase.RECEIVE, e.phase());
            assertTrue(e.getMessage().contains("ipamd at " + socket + " did not answer within 1000 ms"), e.getMessage());
        }
    }

    @Test
    void aDaemonThatNeverReadsHitsTheDeadlineWhileTheRequestIsSent() throws Exception {
        // It grants flow-control windows far larger than the request, then reads nothing: the socket buffer
        // fills and the client's writes block.
        var socket = dir.resolve("deaf.sock");
        var windows = ByteBuffer.allocate(2 * FrameChannel.HEADER_LENGTH + 6 + 4)
                .put(FrameChannel.frame(GrpcClient.SETTINGS, 0, 0, ByteBuffer.allocate(6).putShort((short) 0x4).putInt(0x7fff_ffff).array(), 0, 6))
                .put(FrameChannel.frame(GrpcClient.WINDOW_UPDATE, 0, 0, ByteBuffer.allocate(4).putInt(0x7fff_0000).array(), 0, 4))
                .flip();
        var done = new CountDownLatch(1);
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            var deaf = Thread.ofPlatform().start(() -> {
                try (var connection = server.accept()) {
                    while (windows.hasRemaining()) {
                        connection.write(windows);
                    }
                    done.await();
                } catch (IOException | InterruptedException ignored) {
                    // the test is over
                }
            });
            var e = assertThrows(TransportException.class, () -> new GrpcClient(socket, "t").call(ADD, new byte[16 << 20], 1_000));
            done.countDown();
            deaf.join();
            assertTrue(e.deadlinePassed());
            assertEquals(TransportException.Phase.SEND, e.phase());
            assertTrue(e.getMessage().contains("the deadline passed while sending the request"), e.getMessage());
        }
    }

    @Test
    void aConnectionClosedBeforeTheReplyIsATransportFailure() throws Exception {
        var socket = dir.resolve("peer.sock");
        try (var peer = new ScriptedPeer(socket, p -> { })) {
            var e = assertThrows(TransportException.class, () -> new GrpcClient(socket, "t").call(ADD, new byte[0], 5_000));
            assertFalse(e.deadlinePassed());
            assertEquals(TransportException.Phase.RECEIVE, e.phase());
            assertTrue(e.getMessage().contains("ipamd closed the connection"), e.getMessage());
        }
    }

    @Test
    void paddedFramesContinuationsAndPingsAreHandled() throws Exception {
        var socket = dir.resolve("peer.sock");
        var message = "reply".getBytes(StandardCharsets.UTF_8);
        try (var peer = new ScriptedPeer(socket, p -> {
            p.frame(PING, 0, 0, new byte[8]);
            var block = p.headerBlock(":status", "200", "content-type", "application/grpc", "x-filler", "f".repeat(300));
            var half = block.length / 2;
            p.frame(HEADERS, 0, 1, Arrays.copyOfRange(block, 0, half));
            p.frame(CONTINUATION, END_HEADERS, 1, Arrays.copyOfRange(block, half, block.length));
            var data = ScriptedPeer.grpcMessage(message);
            var padded = ByteBuffer.allocate(1 + data.length + 7).put((byte) 7).put(data).put(new byte[7]).array();
            p.frame(DATA, PADDED, 1, padded);
            p.frame(HEADERS, END_HEADERS | END_STREAM, 1, p.headerBlock("grpc-status", "0"));
        })) {
            assertArrayEquals(message, new GrpcClient(socket, "t").call(ADD, new byte[]{1, 2, 3}, 5_000));
            assertArrayEquals(ScriptedPeer.grpcMessage(new byte[]{1, 2, 3}), peer.requestBody);
        }
    }

    @Test
    void trailersOnlyResponseCarriesTheStatus() throws Exception {
        var socket = dir.resolve("peer.sock");
        try (var peer = new ScriptedPeer(socket, p -> p.frame(HEADERS, END_HEADERS | END_STREAM, 1, p.headerBlock(
                ":status", "200", "content-type", "application/grpc", "grpc-status", "8", "grpc-message", "pool%20empty%3A%20retry")))) {
            var e = assertThrows(GrpcException.class, () -> new GrpcClient(socket, "t").call(ADD, new byte[0], 5_000));
            assertEquals(GrpcException.RESOURCE_EXHAUSTED, e.code());
            assertEquals("pool empty: retry", e.getMessage());
        }
    }

    @Test
    void resetStreamIsReportedWithItsHttp2Error() throws Exception {
        var socket = dir.resolve("peer.sock");
        try (var peer = new ScriptedPeer(socket, p -> p.frame(RST_STREAM, 0, 1, ByteBuffer.allocate(4).putInt(7).array()))) {
            var e = assertThrows(GrpcException.class, () -> new GrpcClient(socket, "t").call(ADD, new byte[0], 5_000));
            assertEquals(GrpcException.UNAVAILABLE, e.code());
            assertTrue(e.getMessage().contains("REFUSED_STREAM"), e.getMessage());
        }
    }

    @Test
    void goAwayBeforeOurStreamIsUnavailableWithTheDebugText() throws Exception {
        var socket = dir.resolve("peer.sock");
        var payload = ByteBuffer.allocate(8 + 13).putInt(0).putInt(0).put("shutting down".getBytes(StandardCharsets.US_ASCII)).array();
        try (var peer = new ScriptedPeer(socket, p -> p.frame(GOAWAY, 0, 0, payload))) {
            var e = assertThrows(GrpcException.class, () -> new GrpcClient(socket, "t").call(ADD, new byte[0], 5_000));
            assertEquals(GrpcException.UNAVAILABLE, e.code());
            assertTrue(e.getMessage().contains("shutting down"), e.getMessage());
        }
    }

    @Test
    void aReplyWithoutGrpcStatusIsAnInternalError() throws Exception {
        var socket = dir.resolve("peer.sock");
        try (var peer = new ScriptedPeer(socket, p -> {
            p.frame(HEADERS, END_HEADERS, 1, p.headerBlock(":status", "200"));
            p.frame(DATA, END_STREAM, 1, ScriptedPeer.grpcMessage(new byte[1]));
        })) {
            var e = assertThrows(GrpcException.class, () -> new GrpcClient(socket, "t").call(ADD, new byte[0], 5_000));
            assertEquals(GrpcException.INTERNAL, e.code());
            assertTrue(e.getMessage().contains("without grpc-status"), e.getMessage());
        }
    }

    @Test
    void anHttpErrorStatusMapsToAGrpcCode() throws Exception {
        var socket = dir.resolve("peer.sock");
        try (var peer = new ScriptedPeer(socket, p -> p.frame(HEADERS, END_HEADERS | END_STREAM, 1, p.headerBlock(":status", "503")))) {
            var e = assertThrows(GrpcException.class, () -> new GrpcClient(socket, "t").call(ADD, new byte[0], 5_000));
            assertEquals(GrpcException.UNAVAILABLE, e.code());
            assertTrue(e.getMessage().contains("503"));
        }
    }

    @Test
    void requestWithSmallerPeerFramesIsSplit() throws Exception {
        // Requests are always cut at the 16 KiB default frame size until the peer allows more.
        var socket = dir.resolve("peer.sock");
        var request = new byte[40_000];
        Arrays.fill(request, (byte) 7);
        try (var peer = new ScriptedPeer(socket, p -> p.frame(HEADERS, END_HEADERS | END_STREAM, 1,
                p.headerBlock(":status", "200", "grpc-status", "0")))) {
            var e = assertThrows(GrpcException.class, () -> new GrpcClient(socket, "t").call(ADD, request, 5_000));
            assertTrue(e.getMessage().contains("not a gRPC message"), e.getMessage());
            assertArrayEquals(ScriptedPeer.grpcMessage(request), peer.requestBody);
        }
    }

    @Test
    void ignoresRequestFieldsItDoesNotKnow() throws Exception {
        // Sanity: the request our codec builds is what the generated parser reads.
        var bytes = Messages.addNetworkRequest("1.0.0", call("c9", "web"));
        assertEquals("c9", AddNetworkRequest.parseFrom(bytes).getContainerID());
    }
}
