package io.vpccni.ipamd.policy;

import io.vpccni.ipamd.policy.PoolAction.AllocateEni;
import io.vpccni.ipamd.policy.PoolAction.Nothing;
import io.vpccni.ipamd.policy.PoolAction.ReleaseCidrs;
import io.vpccni.ipamd.policy.PoolAction.ReleaseCidrs.Release;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.vpccni.ipamd.policy.Decisions.assertDelete;
import static io.vpccni.ipamd.policy.Decisions.assertNothing;
import static io.vpccni.ipamd.policy.Decisions.assertRelease;
import static io.vpccni.ipamd.policy.Decisions.policy;
import static io.vpccni.ipamd.policy.Decisions.unschedulable;
import static io.vpccni.ipamd.policy.Pools.NOW;
import static io.vpccni.ipamd.policy.Pools.eni;
import static io.vpccni.ipamd.policy.Pools.pool;
import static io.vpccni.ipamd.policy.Pools.primary;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When and how addresses go back to EC2: upstream's isDatastorePoolTooHigh and decreaseDatastorePool. */
class AddressReleaseTest {

    @Test
    void addressesOverWarmIpTargetAreReleased() {
        var action = policy("WARM_IP_TARGET=2").decide(pool(primary(9, 1)));
        assertRelease(action, false, new Release("eni-primary", 6));
        assertTrue(action.reason().contains("6 addresses over WARM_IP_TARGET=2"), action.reason());
    }

    @Test
    void coolingAddressesAreNotReleased() {
        var withCooling = eni("eni-primary", 0).primary().ips(9, 1).cooling(5).build();
        assertRelease(policy("WARM_IP_TARGET=2").decide(pool(withCooling)), false, new Release("eni-primary", 3));
    }

    @Test
    void whenEverySpareAddressIsCoolingNothingIsReleased() {
        var allCooling = eni("eni-primary", 0).primary().ips(9, 1).cooling(8).build();
        assertNothing(policy("WARM_IP_TARGET=2").decide(pool(allCooling)), "6 addresses over target", "cooling down");
    }

    @Test
    void releasesStartAtTheHighestDeviceNumber() {
        var state = pool(primary(9, 1), eni("eni-c", 2).ips(4, 0).build(), eni("eni-b", 1).ips(9, 0).build());
        assertRelease(policy("WARM_IP_TARGET=1").decide(state), false,
                new Release("eni-c", 4), new Release("eni-b", 9), new Release("eni-primary", 7));
    }

    @Test
    void excludedEnisNeitherCountNorPayForTheExcess() {
        var state = pool(primary(9, 1), eni("eni-x", 1).excluded().ips(9, 0).build());
        assertRelease(policy("WARM_IP_TARGET=1").decide(state), false, new Release("eni-primary", 7));
    }

    @ParameterizedTest(name = "last release {0} ms before now -> release {1}")
    @CsvSource({"0, false", "10000, false", "30000, false", "-5000, false", "30001, true", "3600000, true"})
    void releasesAreThrottledToOncePerThirtySeconds(long millisAgo, boolean releases) {
        var lastDecrease = NOW.minusMillis(millisAgo);
        var state = new PoolState(List.of(primary(9, 1)), 110, NOW, lastDecrease, false);
        var action = policy("WARM_IP_TARGET=2").decide(state);
        if (releases) {
            assertRelease(action, false, new Release("eni-primary", 6));
        } else {
            assertNothing(action, "6 addresses over target", "next after " + lastDecrease.plus(Duration.ofSeconds(30)));
        }
    }

    @Test
    void neverReleasedMeansNotThrottled() {
        var state = new PoolState(List.of(primary(9, 1)), 110, NOW, Instant.EPOCH, false);
        assertInstanceOf(ReleaseCidrs.class, policy("WARM_IP_TARGET=2").decide(state));
    }

    @Test
    void minimumIpTargetKeepsAddressesOverWarmIpTarget() {
        // 8 available, WARM_IP_TARGET=2 alone would release 6; MINIMUM_IP_TARGET=5 keeps 5 in total, so release 4.
        assertRelease(policy("WARM_IP_TARGET=2", "MINIMUM_IP_TARGET=5").decide(pool(primary(9, 1))), false,
                new Release("eni-primary", 4));
    }

    @ParameterizedTest
    @CsvSource({
            // settings, primary prefixes, assigned, free prefixes, prefixes released
            "WARM_PREFIX_TARGET=1, 3, 0, 3, 2",
            "WARM_PREFIX_TARGET=2, 5, 20, 3, 1",
            "WARM_IP_TARGET=5, 3, 1, 2, 2",
            "WARM_IP_TARGET=16, 3, 1, 2, 1",
            "MINIMUM_IP_TARGET=17, 4, 0, 4, 2",
    })
    void prefixModeReleasesFreePrefixes(String setting, int prefixes, int assigned, int free, int released) {
        var state = pool(eni("eni-primary", 0).primary().prefixes(prefixes, assigned, free).build());
        var action = policy("ENABLE_PREFIX_DELEGATION=true", "WARM_PREFIX_TARGET=1", setting).decide(state);
        assertRelease(action, true, new Release("eni-primary", released));
    }

    @Test
    void anUnschedulableNodeStillReleasesAddresses() {
        assertInstanceOf(ReleaseCidrs.class, policy("WARM_IP_TARGET=2").decide(unschedulable(primary(9, 1))));
    }

    @Test
    void releasingComesBeforeDeletingAnEni() {
        var state = pool(primary(9, 0), eni("eni-b", 1).ips(9, 0).build());
        assertRelease(policy("WARM_IP_TARGET=1").decide(state), false, new Release("eni-b", 9), new Release("eni-primary", 8));
    }

    @ParameterizedTest(name = "WARM_ENI_TARGET={0}, {1} -> {2}")
    @CsvSource({
            "0, single, nothing", "1, single, nothing", "2, single, allocate",
            "0, young trio, nothing", "1, young trio, nothing", "2, young trio, nothing",
            "0, old trio, delete eni-c", "1, old trio, delete eni-c", "2, old trio, delete eni-c",
            "0, partly used, delete eni-b", "1, partly used, delete eni-b", "2, partly used, nothing",
    })
    void warmEniTargetAloneNeverReleasesAddresses(int warmEniTarget, String layout, String expected) {
        var enis = switch (layout) {
            case "single" -> List.of(primary(9, 0));
            case "young trio" -> List.of(primary(9, 0), eni("eni-b", 1).ips(9, 0).createdAt(NOW).build(),
                    eni("eni-c", 2).ips(9, 0).createdAt(NOW.minusSeconds(30)).build());
            case "old trio" -> List.of(primary(9, 0), eni("eni-b", 1).ips(9, 0).build(), eni("eni-c", 2).ips(9, 0).build());
            case "partly used" -> List.of(primary(9, 5), eni("eni-b", 1).ips(9, 0).build(), eni("eni-c", 2).ips(9, 1).build());
            default -> throw new AssertionError(layout);
        };
        var action = policy("WARM_ENI_TARGET=" + warmEniTarget).decide(new PoolState(enis, 110, NOW, Instant.EPOCH, false));
        switch (expected) {
            case "nothing" -> assertInstanceOf(Nothing.class, action);
            case "allocate" -> assertInstanceOf(AllocateEni.class, action);
            default -> assertDelete(action, expected.substring("delete ".length()));
        }
    }
}
