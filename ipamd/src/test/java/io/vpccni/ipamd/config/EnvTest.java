package io.vpccni.ipamd.config;

import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.policy.PoolConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnvTest {
    @ParameterizedTest
    @ValueSource(strings = {"1", "t", "T", "true", "TRUE", "True"})
    void trueAsGoParseBoolReadsIt(String value) {
        assertTrue(Env.bool(Map.of("X", value), "X", false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "f", "F", "false", "FALSE", "False"})
    void falseAsGoParseBoolReadsIt(String value) {
        assertFalse(Env.bool(Map.of("X", value), "X", true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "no", "on", "tRUE", "2", "truee"})
    void anythingElseIsRefusedNamingTheVariableAndWhatIsAccepted(String value) {
        var e = assertThrows(IllegalArgumentException.class, () -> Env.bool(Map.of("ENABLE_PREFIX_DELEGATION", value), "ENABLE_PREFIX_DELEGATION", false));
        assertEquals("ENABLE_PREFIX_DELEGATION='" + value + "' is not a boolean: use 1, t, T, TRUE, true, True, 0, f, F, FALSE, false or False",
                e.getMessage());
    }

    @Test
    void absentOrBlankTakesTheDefault() {
        assertTrue(Env.bool(Map.of(), "X", true));
        assertFalse(Env.bool(Map.of("X", "  "), "X", false));
    }

    /** Every component reads booleans the same way: "1" turns prefix delegation on, as it does upstream. */
    @Test
    void thePoolReadsBooleansAsUpstreamDoes() {
        assertTrue(PoolConfig.fromEnv(Map.of("ENABLE_PREFIX_DELEGATION", "1", "WARM_PREFIX_TARGET", "1")).prefixDelegation());
        assertThrows(IllegalArgumentException.class, () -> PoolConfig.fromEnv(Map.of("ENABLE_PREFIX_DELEGATION", "yes")));
    }

    @Test
    void integersAreBoundedAndAHugeNumberIsRefusedAtOnce() {
        assertEquals(9001, Env.integer(Map.of(), "AWS_VPC_ENI_MTU", 576, 9001, 9001));
        assertEquals(1500, Env.integer(Map.of("AWS_VPC_ENI_MTU", "1500"), "AWS_VPC_ENI_MTU", 576, 9001, 9001));
        for (var bad : List.of("100", "9002", "-1", "1e3", "9".repeat(100_000))) {
            var e = assertThrows(IllegalArgumentException.class, () -> Env.integer(Map.of("AWS_VPC_ENI_MTU", bad), "AWS_VPC_ENI_MTU", 576, 9001, 9001));
            assertTrue(e.getMessage().startsWith("AWS_VPC_ENI_MTU='") && e.getMessage().endsWith("' must be an integer from 576 to 9001"));
        }
    }

    @Test
    void cidrListsAreNormalisedAndBadEntriesNamed() {
        assertEquals(List.of(IpPrefix.of("10.1.0.0/16"), IpPrefix.of("192.168.0.0/24")),
                Env.cidrs(Map.of("C", " 10.1.2.3/16, 192.168.0.0/24,10.1.0.0/16 ,"), "C"));
        var e = assertThrows(IllegalArgumentException.class, () -> Env.cidrs(Map.of("C", "10.0.0.1"), "C"));
        assertEquals("C: '10.0.0.1' must be an IPv4 CIDR such as 203.0.113.0/24", e.getMessage());
    }
}
