package io.vpccni.ipamd.rpc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SocketPathTest {
    @TempDir
    Path dir;

    @Test
    void aSecondClaimOnTheSamePathIsRefusedNamingTheHolder() throws IOException {
        var socket = dir.resolve("ipamd.sock");
        try (var first = SocketPath.claim(socket)) {
            var e = assertThrows(IOException.class, () -> SocketPath.claim(socket));
            assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
            assertTrue(e.getMessage().contains(socket.toString()), e.getMessage());
        }
        SocketPath.claim(socket).close();  // released on close
    }

    @Test
    void aLeftoverSocketWithNoListenerIsReplaced() throws IOException {
        var socket = dir.resolve("ipamd.sock");
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
        }
        assertTrue(Files.exists(socket));  // closing a Unix server socket leaves its file behind
        try (var claimed = SocketPath.claim(socket)) {
            assertFalse(Files.exists(socket));
        }
    }

    @Test
    void aLiveListenerThatHoldsNoLockIsRefused() throws IOException {
        var socket = dir.resolve("ipamd.sock");
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            var e = assertThrows(IOException.class, () -> SocketPath.claim(socket));
            assertTrue(e.getMessage().contains("listening on " + socket), e.getMessage());
            assertTrue(Files.exists(socket));
        }
    }

    @Test
    void aRegularFileIsNeverDeleted() throws IOException {
        var socket = dir.resolve("ipamd.sock");
        Files.writeString(socket, "precious");
        var e = assertThrows(IOException.class, () -> SocketPath.claim(socket));
        assertTrue(e.getMessage().contains("is not a socket"), e.getMessage());
        assertEquals("precious", Files.readString(socket));
    }
}
