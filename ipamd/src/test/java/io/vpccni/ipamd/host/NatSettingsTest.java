package io.vpccni.ipamd.host;

import io.vpccni.ipamd.net.IpPrefix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NatSettingsTest {
    @Test
    void defaultsAreUpstreams() {
        var s = NatSettings.fromEnv(Map.of(), "eni");
        assertFalse(s.externalSnat());
        assertEquals(NatSettings.Randomize.PRNG, s.randomize());
        assertEquals(0x80, s.mark());
        assertTrue(s.nodePortSupport());
        assertEquals(List.of(), s.excludeSnatCidrs());
        assertEquals("0x80", s.markHex());
    }

    @Test
    void cidrListsAreNormalisedAndDeduplicated() {
        var s = NatSettings.fromEnv(Map.of("AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS", " 192.168.7.9/16, 192.168.0.0/16,,10.9.0.0/24 ",
                "AWS_EXTERNAL_SERVICE_CIDRS", "203.0.113.0/24"), "eni");
        assertEquals(List.of(IpPrefix.of("192.168.0.0/16"), IpPrefix.of("10.9.0.0/24")), s.excludeSnatCidrs());
        assertEquals(List.of(IpPrefix.of("203.0.113.0/24")), s.externalServiceCidrs());
    }

    @ParameterizedTest
    @CsvSource({"0x80,128", "128,128", "0X4000,16384", "0xffffffff,-1"})
    void marksReadAsUpstreamDoes(String raw, int mark) {
        assertEquals(mark, NatSettings.mark(raw));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "AWS_VPC_K8S_CNI_EXTERNALSNAT|yes|is not a boolean",
            "AWS_VPC_K8S_CNI_RANDOMIZESNAT|fully|must be prng, hashrandom or none",
            "AWS_VPC_K8S_CNI_CONNMARK|0x1ffffffff|must be a 32-bit mark",
            "AWS_VPC_K8S_CNI_CONNMARK|0|must not be 0",
            "AWS_VPC_K8S_CNI_CONNMARK|mark|must be a 32-bit mark",
            "AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS|10.0.0.0/16 -j ACCEPT|is not an IPv4 CIDR",
            "AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS|10.0.0.1|must be an IPv4 CIDR",
            "AWS_EXTERNAL_SERVICE_CIDRS|fd00::/8|is not an IPv4 CIDR",
            "AWS_VPC_CNI_NODE_PORT_SUPPORT|on|is not a boolean"})
    void badValuesAreRefusedNamingTheVariable(String name, String value, String message) {
        var e = assertThrows(IllegalArgumentException.class, () -> NatSettings.fromEnv(Map.of(name, value), "eni"));
        assertTrue(e.getMessage().contains(name) && e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void vethPrefixCannotCarryIptablesSyntax() {
        assertThrows(IllegalArgumentException.class, () -> NatSettings.fromEnv(Map.of(), "e -j"));
    }
}
