package io.vpccni.cni.aot;

import io.vpccni.cni.grpc.Deadline;
import io.vpccni.cni.grpc.FrameChannel;
import io.vpccni.cni.grpc.GrpcClient;
import io.vpccni.cni.hpack.HeaderField;
import io.vpccni.cni.hpack.HpackDecoder;
import io.vpccni.cni.hpack.HpackEncoder;
import io.vpccni.cni.wire.ProtoWriter;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A minimal HTTP/2 gRPC responder for the training run only: it answers each call with a canned,
 * well-formed reply (or a trailers-only error for {@link #FAILING_CONTAINER}). It is no daemon.
 */
final class TrainingDaemon implements AutoCloseable {
    static final String FAILING_CONTAINER = "training-failure";

    private final ServerSocketChannel server;
    private final Thread acceptor;
    private final Path socket;

    private TrainingDaemon(ServerSocketChannel server, Path socket) {
        this.server = server;
        this.socket = socket;
        this.acceptor = Thread.ofPlatform().name("training-daemon").start(this::serve);
    }

    static TrainingDaemon start(Path socket) throws IOException {
        var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        return new TrainingDaemon(server, socket);
    }

    private void serve() {
        while (server.isOpen()) {
            try (var connection = server.accept()) {
                answer(connection);
            } catch (IOException | RuntimeException e) {
                if (server.isOpen()) {
                    System.err.println("training daemon: " + e);
                }
            }
        }
    }

    private static void answer(SocketChannel connection) throws IOException {
        connection.read(ByteBuffer.allocate(24));  // the client preface
        try (var frames = new FrameChannel(connection, Deadline.after(10_000), 1 << 20)) {
            frames.writeFrame(GrpcClient.SETTINGS, 0, 0, new byte[0]);
            var decoder = new HpackDecoder(64 * 1024);
            var path = "";
            var body = new java.io.ByteArrayOutputStream();
            while (true) {
                var f = frames.read();
                if (f.type() == GrpcClient.HEADERS) {
                    for (var h : decoder.decode(f.payload())) {
                        if (h.name().equals(":path")) {
                            path = h.value();
                        }
                    }
                } else if (f.type() == GrpcClient.DATA) {
                    body.write(f.payload());
                    if (f.has(GrpcClient.END_STREAM)) {
                        break;
                    }
                } else if (f.type() == GrpcClient.SETTINGS && !f.has(GrpcClient.ACK)) {
                    frames.writeFrame(GrpcClient.SETTINGS, GrpcClient.ACK, 0, new byte[0]);
                }
            }
            var request = new String(body.toByteArray(), StandardCharsets.ISO_8859_1);
            if (request.contains(FAILING_CONTAINER)) {
                frames.writeFrame(GrpcClient.HEADERS, GrpcClient.END_HEADERS | GrpcClient.END_STREAM, 1, HpackEncoder.encode(List.of(
                        new HeaderField(":status", "200"), new HeaderField("content-type", "application/grpc"),
                        new HeaderField("grpc-status", "8"), new HeaderField("grpc-message", "no%20free%20address"))));
                return;
            }
            var reply = reply(path);
            frames.writeFrame(GrpcClient.HEADERS, GrpcClient.END_HEADERS, 1, HpackEncoder.encode(List.of(
                    new HeaderField(":status", "200"), new HeaderField("content-type", "application/grpc"))));
            frames.writeFrame(GrpcClient.DATA, 0, 1, ByteBuffer.allocate(5 + reply.length).put((byte) 0).putInt(reply.length).put(reply).array());
            frames.writeFrame(GrpcClient.HEADERS, GrpcClient.END_HEADERS | GrpcClient.END_STREAM, 1,
                    HpackEncoder.encode(List.of(new HeaderField("grpc-status", "0"))));
        } catch (io.vpccni.cni.grpc.GrpcException | io.vpccni.cni.hpack.HpackException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static byte[] reply(String path) {
        return switch (path) {
            case "/rpc.CNIBackend/AddNetwork" -> new ProtoWriter().bool(1, true)
                    .message(2, new ProtoWriter().string(1, "10.0.0.10").int32(3, 1).int32(4, 2))
                    .string(6, "10.0.0.0/16")
                    .message(100, new ProtoWriter().string(1, "eni3a52ce780da").string(2, "02:11:22:33:44:55")
                            .string(3, "eth0").string(4, "0a:58:0a:00:00:0a"))
                    .toByteArray();
            case "/rpc.CNILifecycle/CheckNetwork" -> new ProtoWriter().bool(1, true).toByteArray();
            case "/rpc.CNILifecycle/Status" -> new ProtoWriter().bool(1, true).int32(3, 10).toByteArray();
            case "/rpc.CNILifecycle/GarbageCollect" -> new ProtoWriter().toByteArray();
            default -> new ProtoWriter().bool(1, true).toByteArray();
        };
    }

    @Override
    public void close() throws IOException, InterruptedException {
        server.close();
        acceptor.join(5_000);
        Files.deleteIfExists(socket);
    }
}
