package io.vpccni.ipamd.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckpointEntryTest {
    private static CheckpointEntry withIps(String ipv4, String ipv6) {
        return new CheckpointEntry("aws-cni", "c1", "eth0", ipv4, ipv6, 1L, "ns", "pod", 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "10.0.0.1", "192.168.255.255", "255.255.255.255", "100.64.9.10"})
    void acceptsDottedQuads(String ip) {
        assertEquals(ip, withIps(ip, "").ipv4());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0", "10.0.0.256", "10.0.0.1.2", "010.0.0.1", "10.0.0.1/32", " 10.0.0.1",
            "10.0.0.-1", "ten.0.0.1", "::1", "1e1.0.0.1"})
    void rejectsMalformedIpv4(String ip) {
        var e = assertThrows(IllegalArgumentException.class, () -> withIps(ip, ""));
        assertTrue(e.getMessage().contains("ipv4"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2001:db8::1", "fd00:10:20::a", "2600:1f14:abc:1200:ffff::3", "::1"})
    void acceptsIpv6(String ip) {
        assertEquals(ip, withIps("", ip).ipv6());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2001:db8:::1", "[2001:db8::1]", "fe80::1%eth0", "::ffff:10.0.0.1", "10.0.0.1", "gggg::1"})
    void rejectsMalformedIpv6(String ip) {
        var e = assertThrows(IllegalArgumentException.class, () -> withIps("", ip));
        assertTrue(e.getMessage().contains("ipv6"), e.getMessage());
    }

    @Test
    void needsAtLeastOneAddress() {
        assertThrows(IllegalArgumentException.class, () -> withIps("", ""));
        assertThrows(IllegalArgumentException.class, () -> withIps(null, null));
    }

    @Test
    void nullStringsReadAsEmpty() {
        var e = new CheckpointEntry(null, null, null, "10.0.0.1", null, 0, null, null, 0);
        assertEquals("", e.networkName());
        assertEquals("", e.containerId());
        assertEquals("", e.ifName());
        assertEquals("", e.ipv6());
        assertEquals("", e.podNamespace());
        assertEquals("", e.podName());
    }

    @Test
    void rejectsNegativeInterfacesCount() {
        assertThrows(IllegalArgumentException.class,
                () -> new CheckpointEntry("n", "c", "eth0", "10.0.0.1", "", 0, "", "", -1));
    }
}
