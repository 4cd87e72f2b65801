package io.vpccni.cni.grpc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The deadline is asked on every frame, not only when the socket would block: a peer that keeps data
 * flowing, in either direction, cannot hold a call past it. A deadline already in the past makes the
 * point without any clock: the data is there, and the call must still end.
 */
class FrameChannelTest {
    @TempDir
    Path dir;
    private ServerSocketChannel server;
    private SocketChannel client;
    private SocketChannel peer;

    @BeforeEach
    void connect() throws IOException {
        var address = UnixDomainSocketAddress.of(dir.resolve("frames.sock"));
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(address);
        client = SocketChannel.open(address);
        peer = server.accept();
    }

    @AfterEach
    void close() throws IOException {
        peer.close();
        client.close();
        server.close();
    }

    private void peerSendsPings(int count) throws IOException {
        var pings = ByteBuffer.allocate(count * (FrameChannel.HEADER_LENGTH + 8));
        for (var i = 0; i < count; i++) {
            pings.put(FrameChannel.frame(GrpcClient.PING, 0, 0, new byte[8], 0, 8));
        }
        pings.flip();
        while (pings.hasRemaining()) {
            peer.write(pings);
        }
    }

    private static Deadline passed() {
        return new Deadline(System.nanoTime() - 1, 300);
    }

    @Test
    void framesWaitingToBeReadAreReadBeforeTheDeadline() throws Exception {
        peerSendsPings(2);
        try (var frames = new FrameChannel(client, Deadline.after(60_000), FrameChannel.DEFAULT_MAX_FRAME_SIZE)) {
            assertEquals(GrpcClient.PING, frames.read().type());
            assertEquals(GrpcClient.PING, frames.read().type());
        }
    }

    @Test
    void aPassedDeadlineEndsReadingThoughFramesAreWaiting() throws Exception {
        peerSendsPings(100);
        try (var frames = new FrameChannel(client, passed(), FrameChannel.DEFAULT_MAX_FRAME_SIZE)) {
            assertThrows(DeadlinePassedException.class, frames::read);
        }
    }

    @Test
    void aPassedDeadlineEndsWritingThoughTheSocketTakesTheBytes() throws Exception {
        try (var frames = new FrameChannel(client, passed(), FrameChannel.DEFAULT_MAX_FRAME_SIZE)) {
            assertThrows(DeadlinePassedException.class, () -> frames.writeFrame(GrpcClient.PING, GrpcClient.ACK, 0, new byte[8]));
        }
    }
}
