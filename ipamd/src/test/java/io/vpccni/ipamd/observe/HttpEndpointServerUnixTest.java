package io.vpccni.ipamd.observe;

import io.netty.channel.unix.DomainSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code INTROSPECTION_BIND_ADDRESS=unix:/path}, as upstream allows: served there, a stale socket replaced, nothing else. */
class HttpEndpointServerUnixTest {
    @TempDir
    Path dir;

    private static final Map<String, Endpoint> ROUTES = Map.of("/v1/enis", () -> Endpoint.Response.json("{\"TotalIPs\":0}"));

    @Test
    void servesOnAUnixSocketAndReplacesAStaleOne() throws Exception {
        var socket = dir.resolve("introspection.sock");
        try (var first = HttpEndpointServer.start("introspection", ROUTES, new DomainSocketAddress(socket.toString()),
                HttpEndpointServer.Limits.DEFAULT)) {
            assertTrue(get(socket).endsWith("{\"TotalIPs\":0}"));
        }
        // Netty leaves the file when closing: the next daemon finds it, as after a kill, and takes its place.
        if (!Files.exists(socket)) {
            try (var left = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                left.bind(UnixDomainSocketAddress.of(socket));
            }
        }
        try (var second = HttpEndpointServer.start("introspection", ROUTES, new DomainSocketAddress(socket.toString()),
                HttpEndpointServer.Limits.DEFAULT)) {
            assertTrue(get(socket).startsWith("HTTP/1.1 200 OK"));
        }
    }

    @Test
    void aFileThatIsNotASocketIsLeftAloneAndTheStartFails() throws Exception {
        var file = Files.writeString(dir.resolve("not-a-socket"), "keep me");
        var e = assertThrows(IOException.class, () -> HttpEndpointServer.start("introspection", ROUTES,
                new DomainSocketAddress(file.toString()), HttpEndpointServer.Limits.DEFAULT));
        assertTrue(e.getMessage().contains("is not a socket"), e.getMessage());
        assertEquals("keep me", Files.readString(file));
    }

    private static String get(Path socket) throws IOException {
        try (var channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            channel.write(ByteBuffer.wrap("GET /v1/enis HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            var out = new StringBuilder();
            var buffer = ByteBuffer.allocate(4096);
            while (channel.read(buffer) >= 0) {
                out.append(StandardCharsets.UTF_8.decode(buffer.flip()));
                buffer.clear();
            }
            return out.toString();
        }
    }
}
