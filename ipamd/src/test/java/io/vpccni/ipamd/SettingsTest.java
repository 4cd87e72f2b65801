package io.vpccni.ipamd;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every setting is read and checked before the daemon serves, not later in a retry loop. */
class SettingsTest {
    @Test
    void anEmptyEnvironmentIsUpstreamsDefaults() {
        var s = Settings.read(Map.of(), "1.0.0");
        assertEquals(9001, s.eniMtu());
        assertEquals(Path.of("/var/run/aws-node/ipam.json"), s.checkpoint());
        assertEquals("http://169.254.169.254", s.imdsEndpoint().toString());
        assertEquals("eni", s.daemon().vethPrefix());
        assertFalse(s.imdsOnly() || s.leakedEniCleanupOff() || s.tcpEarlyDemuxOff() || s.unmanagedFiles().isPresent());
    }

    @Test
    void booleansAreReadAsUpstreamReadsThem() {
        var s = Settings.read(Map.of("ENABLE_IMDS_ONLY_MODE", "1", "DISABLE_LEAKED_ENI_CLEANUP", "T"), "1.0.0");
        assertTrue(s.imdsOnly() && s.leakedEniCleanupOff());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "AWS_VPC_ENI_MTU | 1e3",
            "ADDITIONAL_ENI_TAGS | team=net",
            "AWS_EC2_METADATA_SERVICE_ENDPOINT | ::not a url",
            "AWS_VPC_K8S_CNI_BACKING_STORE | ipam.json",
            "ENABLE_IMDS_ONLY_MODE | yes",
            "DISABLE_LEAKED_ENI_CLEANUP | on",
            "ENABLE_IPv6 | true",
            "WARM_IP_TARGET | -1",
            "AWS_VPC_K8S_CNI_EXTERNALSNAT | maybe",
    })
    void aBadValueStopsTheDaemonAtStartNamingTheVariable(String name, String value) {
        var e = assertThrows(IllegalArgumentException.class, () -> Settings.read(Map.of(name, value), "1.0.0"));
        assertTrue(e.getMessage().contains(name), e.getMessage());
    }
}
