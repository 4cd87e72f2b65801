package io.vpccni.ipamd.config;

import io.vpccni.ipamd.testing.CapturedLogs;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UnsupportedTest {
    @Test
    void featuresNotImplementedYetStopTheDaemonNamingEach() {
        var e = assertThrows(IllegalArgumentException.class, () -> Unsupported.check(Map.of(
                "ENABLE_IPv6", "true", "ENABLE_IPv4", "false", "ENABLE_POD_ENI", "1")));
        assertEquals("not supported yet: ENABLE_IPv6=true (IPv6 pods); ENABLE_IPv4=false (turning IPv4 off (this daemon serves"
                + " IPv4 pods only)); ENABLE_POD_ENI=1 (security groups for pods (trunk and branch ENIs)). Remove the setting,"
                + " or run upstream's aws-node on this node", e.getMessage());
    }

    @Test
    void theirDefaultsAndIgnoredSettingsAreAccepted() {
        assertDoesNotThrow(() -> Unsupported.check(Map.of("ENABLE_IPv4", "true", "ENABLE_IPv6", "false", "ENABLE_POD_ENI", "False",
                "ENABLE_NFTABLES", "true", "NETWORK_POLICY_ENFORCING_MODE", "standard")));
    }

    @Test
    void theLogFileIsNoLongerIgnored() {
        try (var logs = new CapturedLogs(Unsupported.class)) {
            Unsupported.check(Map.of("AWS_VPC_K8S_CNI_LOG_FILE", "stdout", "ENABLE_NFTABLES", "true"));
            assertEquals(1, logs.count("is ignored"), logs.messages().toString());
            assertEquals(0, logs.count("AWS_VPC_K8S_CNI_LOG_FILE"), "the daemon honours it (DaemonLogging)");
        }
    }

    @Test
    void aBadBooleanIsRefusedToo() {
        var e = assertThrows(IllegalArgumentException.class, () -> Unsupported.check(Map.of("ENABLE_POD_ENI", "yes")));
        assertEquals("ENABLE_POD_ENI='yes' is not a boolean: use 1, t, T, TRUE, true, True, 0, f, F, FALSE, false or False", e.getMessage());
    }
}
