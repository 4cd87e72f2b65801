package io.vpccni.ipamd.config;

import io.netty.channel.unix.DomainSocketAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BindAddressTest {
    @ParameterizedTest
    @CsvSource({"127.0.0.1:61679,127.0.0.1,61679", "localhost:8080,127.0.0.1,8080", "[::1]:61679,0:0:0:0:0:0:0:1,61679",
            ":61679,0.0.0.0,61679", "0.0.0.0:1,0.0.0.0,1"})
    void tcpForms(String value, String address, int port) {
        var bound = (InetSocketAddress) BindAddress.parse("V", value);
        assertEquals(address, bound.getAddress().getHostAddress());
        assertEquals(port, bound.getPort());
    }

    @org.junit.jupiter.api.Test
    void aUnixSocket() {
        assertEquals("/run/aws-node/introspect.sock",
                ((DomainSocketAddress) BindAddress.parse("V", "unix:/run/aws-node/introspect.sock")).path());
    }

    @ParameterizedTest
    @ValueSource(strings = {"61679", "127.0.0.1", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:http", "unix:", "unix:relative.sock",
            "no-such-host.invalid:61679"})
    void refusedNamingTheVariable(String value) {
        var e = assertThrows(IllegalArgumentException.class, () -> BindAddress.parse("INTROSPECTION_BIND_ADDRESS", value));
        assertTrue(e.getMessage().startsWith("INTROSPECTION_BIND_ADDRESS='" + value + "'"), e.getMessage());
    }
}
