package io.vpccni.ipamd.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;

import static io.vpccni.ipamd.policy.PoolConfig.DISABLE_NETWORK_RESOURCE_PROVISIONING;
import static io.vpccni.ipamd.policy.PoolConfig.ENABLE_PREFIX_DELEGATION;
import static io.vpccni.ipamd.policy.PoolConfig.IP_COOLDOWN_PERIOD;
import static io.vpccni.ipamd.policy.PoolConfig.MAX_ENI;
import static io.vpccni.ipamd.policy.PoolConfig.MINIMUM_IP_TARGET;
import static io.vpccni.ipamd.policy.PoolConfig.WARM_ENI_TARGET;
import static io.vpccni.ipamd.policy.PoolConfig.WARM_IP_TARGET;
import static io.vpccni.ipamd.policy.PoolConfig.WARM_PREFIX_TARGET;
import static io.vpccni.ipamd.policy.Pools.env;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoolConfigTest {

    @Test
    void everyVariableHasUpstreamsDefault() {
        var config = PoolConfig.fromEnv(Map.of());
        assertEquals(1, config.warmEniTarget());
        assertEquals(0, config.warmIpTarget());
        assertEquals(0, config.minimumIpTarget());
        assertEquals(0, config.warmPrefixTarget());
        assertEquals(OptionalInt.empty(), config.maxEni());
        assertFalse(config.prefixDelegation());
        assertEquals(Duration.ofSeconds(30), config.ipCooldownPeriod());
        assertFalse(config.networkResourceProvisioningDisabled());
        assertFalse(config.ipTargetsDefined());
        assertEquals(config, PoolConfig.defaults());
    }

    @ParameterizedTest
    @CsvSource({
            "WARM_ENI_TARGET, ''", "WARM_ENI_TARGET, '   '", "WARM_IP_TARGET, ''", "MINIMUM_IP_TARGET, ''",
            "WARM_PREFIX_TARGET, ''", "MAX_ENI, ''", "MAX_ENI, ' '", "ENABLE_PREFIX_DELEGATION, ''",
            "IP_COOLDOWN_PERIOD, ''", "DISABLE_NETWORK_RESOURCE_PROVISIONING, ''",
    })
    void anEmptyValueMeansUnset(String name, String value) {
        assertEquals(PoolConfig.defaults(), PoolConfig.fromEnv(env(name, value)));
    }

    @ParameterizedTest
    @CsvSource({
            "WARM_ENI_TARGET, 0, 0", "WARM_ENI_TARGET, 1, 1", "WARM_ENI_TARGET, 3, 3", "WARM_ENI_TARGET, 1000, 1000",
            "WARM_ENI_TARGET, ' 2 ', 2", "WARM_ENI_TARGET, +2, 2",
            "WARM_IP_TARGET, 0, 0", "WARM_IP_TARGET, 5, 5", "WARM_IP_TARGET, 10000, 10000", "WARM_IP_TARGET, 007, 7",
            "MINIMUM_IP_TARGET, 0, 0", "MINIMUM_IP_TARGET, 30, 30", "MINIMUM_IP_TARGET, 10000, 10000",
            "WARM_PREFIX_TARGET, 0, 0", "WARM_PREFIX_TARGET, 1, 1", "WARM_PREFIX_TARGET, 10000, 10000",
            "MAX_ENI, 1, 1", "MAX_ENI, 4, 4", "MAX_ENI, 1000, 1000",
            "IP_COOLDOWN_PERIOD, 0, 0", "IP_COOLDOWN_PERIOD, 45, 45", "IP_COOLDOWN_PERIOD, 3600, 3600",
    })
    void integersInRangeAreTaken(String name, String value, int expected) {
        var config = PoolConfig.fromEnv(env(name, value));
        int actual = switch (name) {
            case WARM_ENI_TARGET -> config.warmEniTarget();
            case WARM_IP_TARGET -> config.warmIpTarget();
            case MINIMUM_IP_TARGET -> config.minimumIpTarget();
            case WARM_PREFIX_TARGET -> config.warmPrefixTarget();
            case MAX_ENI -> config.maxEni().orElseThrow();
            case IP_COOLDOWN_PERIOD -> (int) config.ipCooldownPeriod().toSeconds();
            default -> throw new AssertionError(name);
        };
        assertEquals(expected, actual);
    }

    @ParameterizedTest
    @CsvSource({
            "true, true", "TRUE, true", "True, true", "' true ', true", "1, true", "t, true", "T, true",
            "false, false", "FALSE, false", "False, false", "0, false", "f, false", "F, false",
    })
    void booleansAreReadAsGoParseBoolReadsThem(String value, boolean expected) {
        assertEquals(expected, PoolConfig.fromEnv(env(ENABLE_PREFIX_DELEGATION, value, WARM_PREFIX_TARGET, "1")).prefixDelegation());
        assertEquals(expected, PoolConfig.fromEnv(env(DISABLE_NETWORK_RESOURCE_PROVISIONING, value)).networkResourceProvisioningDisabled());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "WARM_IP_TARGET | -3 | WARM_IP_TARGET='-3' must be an integer from 0 to 10000",
            "WARM_IP_TARGET | 10001 | WARM_IP_TARGET='10001' must be an integer from 0 to 10000",
            "WARM_IP_TARGET | 5.0 | WARM_IP_TARGET='5.0' must be an integer from 0 to 10000",
            "WARM_IP_TARGET | 99999999999 | WARM_IP_TARGET='99999999999' must be an integer from 0 to 10000",
            "WARM_IP_TARGET | ٣ | WARM_IP_TARGET='٣' must be an integer from 0 to 10000",
            "WARM_ENI_TARGET | -1 | WARM_ENI_TARGET='-1' must be an integer from 0 to 1000",
            "WARM_ENI_TARGET | one | WARM_ENI_TARGET='one' must be an integer from 0 to 1000",
            "WARM_ENI_TARGET | 1001 | WARM_ENI_TARGET='1001' must be an integer from 0 to 1000",
            "MINIMUM_IP_TARGET | -10 | MINIMUM_IP_TARGET='-10' must be an integer from 0 to 10000",
            "MINIMUM_IP_TARGET | 1e3 | MINIMUM_IP_TARGET='1e3' must be an integer from 0 to 10000",
            "WARM_PREFIX_TARGET | -1 | WARM_PREFIX_TARGET='-1' must be an integer from 0 to 10000",
            "WARM_PREFIX_TARGET | 0x1 | WARM_PREFIX_TARGET='0x1' must be an integer from 0 to 10000",
            "MAX_ENI | 0 | MAX_ENI='0' must be an integer from 1 to 1000; leave it unset for the instance type's limit",
            "MAX_ENI | -1 | MAX_ENI='-1' must be an integer from 1 to 1000; leave it unset for the instance type's limit",
            "MAX_ENI | four | MAX_ENI='four' must be an integer from 1 to 1000; leave it unset for the instance type's limit",
            "IP_COOLDOWN_PERIOD | 30s | IP_COOLDOWN_PERIOD='30s' must be an integer from 0 to 3600 seconds",
            "IP_COOLDOWN_PERIOD | -5 | IP_COOLDOWN_PERIOD='-5' must be an integer from 0 to 3600 seconds",
            "IP_COOLDOWN_PERIOD | 3601 | IP_COOLDOWN_PERIOD='3601' must be an integer from 0 to 3600 seconds",
            "ENABLE_PREFIX_DELEGATION | yes | ENABLE_PREFIX_DELEGATION='yes' is not a boolean: use 1, t, T, TRUE, true, True, 0, f, F, FALSE, false or False",
            "ENABLE_PREFIX_DELEGATION | fAlSe | ENABLE_PREFIX_DELEGATION='fAlSe' is not a boolean: use 1, t, T, TRUE, true, True, 0, f, F, FALSE, false or False",
            "DISABLE_NETWORK_RESOURCE_PROVISIONING | on | DISABLE_NETWORK_RESOURCE_PROVISIONING='on' is not a boolean: use 1, t, T, TRUE, true, True, 0, f, F, FALSE, false or False",
            "DISABLE_NETWORK_RESOURCE_PROVISIONING | 2 | DISABLE_NETWORK_RESOURCE_PROVISIONING='2' is not a boolean: use 1, t, T, TRUE, true, True, 0, f, F, FALSE, false or False",
    })
    void aBadValueNamesTheVariableTheValueAndWhatIsAccepted(String name, String value, String message) {
        var e = assertThrows(IllegalArgumentException.class, () -> PoolConfig.fromEnv(env(name, value)));
        assertEquals(message, e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
            // WARM_PREFIX_TARGET, WARM_IP_TARGET, MINIMUM_IP_TARGET, accepted
            "'', '', '', false",
            "0, 0, 0, false",
            "0, '', 0, false",
            "1, '', '', true",
            "'', 5, '', true",
            "'', '', 16, true",
            "0, 1, 1, true",
    })
    void prefixDelegationNeedsSomeTargetAboveZero(String warmPrefix, String warmIp, String minimumIp, boolean accepted) {
        var env = env(ENABLE_PREFIX_DELEGATION, "true", WARM_PREFIX_TARGET, warmPrefix, WARM_IP_TARGET, warmIp,
                MINIMUM_IP_TARGET, minimumIp);
        if (accepted) {
            assertTrue(PoolConfig.fromEnv(env).prefixDelegation());
        } else {
            var e = assertThrows(IllegalArgumentException.class, () -> PoolConfig.fromEnv(env));
            assertEquals("ENABLE_PREFIX_DELEGATION='true' needs WARM_PREFIX_TARGET, WARM_IP_TARGET or MINIMUM_IP_TARGET"
                    + " above 0, but all are 0 or unset; set WARM_PREFIX_TARGET=1 to keep one spare /28 prefix", e.getMessage());
        }
    }

    @Test
    void withoutPrefixDelegationAllTargetsMayBeZero() {
        var config = PoolConfig.fromEnv(env(WARM_ENI_TARGET, "0", WARM_PREFIX_TARGET, "0", WARM_IP_TARGET, "0"));
        assertEquals(0, config.warmEniTarget());
    }

    @ParameterizedTest
    @CsvSource({"0, 0, false", "1, 0, true", "0, 1, true", "5, 30, true"})
    void ipTargetsAreDefinedWhenEitherIsAboveZero(int warmIp, int minimumIp, boolean defined) {
        var config = PoolConfig.fromEnv(env(WARM_IP_TARGET, Integer.toString(warmIp), MINIMUM_IP_TARGET, Integer.toString(minimumIp)));
        assertEquals(defined, config.ipTargetsDefined());
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 1001})
    void theConstructorChecksRangesToo(int warmEniTarget) {
        var e = assertThrows(IllegalArgumentException.class, () -> new PoolConfig(warmEniTarget, 0, 0, 0,
                OptionalInt.empty(), false, Duration.ofSeconds(30), false));
        assertEquals("WARM_ENI_TARGET='" + warmEniTarget + "' must be an integer from 0 to 1000", e.getMessage());
    }

    @Test
    void theConstructorRejectsANegativeCooldown() {
        var e = assertThrows(IllegalArgumentException.class, () -> new PoolConfig(1, 0, 0, 0,
                OptionalInt.empty(), false, Duration.ofSeconds(-1), false));
        assertEquals("IP_COOLDOWN_PERIOD='PT-1S' must be from 0 to 3600 seconds", e.getMessage());
    }
}
