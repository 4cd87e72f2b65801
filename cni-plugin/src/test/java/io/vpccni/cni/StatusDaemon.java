package io.vpccni.cni;

import io.vpccni.cni.hpack.HeaderField;
import io.vpccni.cni.hpack.HpackEncoder;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;

/** A daemon that reads one whole call and answers it with a given gRPC status, trailers-only. */
final class StatusDaemon implements AutoCloseable {
    private static final int DATA = 0x0, HEADERS = 0x1, SETTINGS = 0x4, END_STREAM = 0x1, END_HEADERS = 0x4;

    private final ServerSocketChannel server;
    private final Thread thread;

    StatusDaemon(Path socket, int status) throws IOException {
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        thread = Thread.ofPlatform().name("status-daemon").start(() -> {
            try (var connection = server.accept()) {
                readCall(connection);
                var trailers = HpackEncoder.encode(List.of(new HeaderField(":status", "200"),
                        new HeaderField("content-type", "application/grpc"), new HeaderField("grpc-status", Integer.toString(status)),
                        new HeaderField("grpc-message", "scripted%20status%20" + status)));
                write(connection, HostileDaemon.concat(HostileDaemon.frame(SETTINGS, 0, 0, new byte[0]),
                        HostileDaemon.frame(HEADERS, END_HEADERS | END_STREAM, 1, trailers)));
                readFully(connection, ByteBuffer.allocate(1 << 16));  // until the plugin hangs up
            } catch (IOException e) {
                // the plugin hung up
            }
        });
    }

    /** The client preface, then frames until the request's last DATA frame. */
    private static void readCall(SocketChannel connection) throws IOException {
        readFully(connection, ByteBuffer.allocate(24));
        while (true) {
            var header = readFully(connection, ByteBuffer.allocate(9));
            var length = ((header.get(0) & 0xff) << 16) | ((header.get(1) & 0xff) << 8) | (header.get(2) & 0xff);
            readFully(connection, ByteBuffer.allocate(length));
            if (header.get(3) == DATA && (header.get(4) & END_STREAM) != 0) {
                return;
            }
        }
    }

    private static ByteBuffer readFully(SocketChannel connection, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (connection.read(buffer) < 0) {
                throw new EOFException();
            }
        }
        return buffer;
    }

    private static void write(SocketChannel connection, byte[] bytes) throws IOException {
        var buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            connection.write(buffer);
        }
    }

    @Override
    public void close() throws Exception {
        server.close();
        thread.join();
    }
}
