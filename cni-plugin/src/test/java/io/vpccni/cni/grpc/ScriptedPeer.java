package io.vpccni.cni.grpc;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * An HTTP/2 peer that answers one call with exactly the frames a test scripts, for the protocol corners a
 * real grpc-java server never produces on demand (padding, CONTINUATION, GOAWAY, RST_STREAM, PING).
 * Headers are encoded by Netty's HPACK encoder (with Huffman), an implementation independent of ours.
 */
final class ScriptedPeer implements AutoCloseable {
    interface Script {
        void play(ScriptedPeer peer) throws Exception;
    }

    private final ServerSocketChannel server;
    private final Thread thread;
    private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
    private SocketChannel connection;
    volatile byte[] requestBody;
    volatile Throwable failure;

    ScriptedPeer(Path socket, Script script) throws IOException {
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        thread = Thread.ofPlatform().start(() -> {
            try (var c = server.accept()) {
                connection = c;
                readRequest();
                script.play(this);
                Thread.sleep(200);  // let the client read everything before the socket closes
            } catch (Throwable t) {
                failure = t;
            }
        });
    }

    private void readRequest() throws IOException, GrpcException {
        var preface = ByteBuffer.allocate(24);
        while (preface.hasRemaining()) {
            connection.read(preface);
        }
        // FrameChannel leaves the connection non-blocking; the script's writes below simply loop.
        var frames = new FrameChannel(connection, Deadline.after(10_000), 1 << 20);
        var body = new ByteArrayOutputStream();
        while (true) {
            var f = frames.read();
            if (f.type() == GrpcClient.DATA) {
                body.write(f.payload());
                if (f.has(GrpcClient.END_STREAM)) {
                    break;
                }
            }
        }
        requestBody = body.toByteArray();
    }

    byte[] headerBlock(String... namesAndValues) throws Http2Exception {
        var headers = new DefaultHttp2Headers();
        for (var i = 0; i < namesAndValues.length; i += 2) {
            headers.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        var buf = Unpooled.buffer();
        encoder.encodeHeaders(1, headers, buf);
        return ByteBufUtil.getBytes(buf);
    }

    void frame(int type, int flags, int stream, byte[] payload) throws IOException {
        var buf = FrameChannel.frame(type, flags, stream, payload, 0, payload.length);
        while (buf.hasRemaining()) {
            connection.write(buf);
        }
    }

    static byte[] grpcMessage(byte[] message) {
        return ByteBuffer.allocate(5 + message.length).put((byte) 0).putInt(message.length).put(message).array();
    }

    @Override
    public void close() throws Exception {
        thread.join(5_000);
        server.close();
        if (failure != null) {
            throw new AssertionError("scripted peer failed", failure);
        }
    }
}
