package io.vpccni.ipamd.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static io.vpccni.ipamd.policy.Decisions.assertDelete;
import static io.vpccni.ipamd.policy.Decisions.assertNothing;
import static io.vpccni.ipamd.policy.Decisions.policy;
import static io.vpccni.ipamd.policy.Decisions.throttled;
import static io.vpccni.ipamd.policy.Decisions.unschedulable;
import static io.vpccni.ipamd.policy.Pools.LONG_AGO;
import static io.vpccni.ipamd.policy.Pools.NOW;
import static io.vpccni.ipamd.policy.Pools.eni;
import static io.vpccni.ipamd.policy.Pools.pool;
import static io.vpccni.ipamd.policy.Pools.primary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which ENI is deleted and why the others are kept: upstream's shouldRemoveExtraENIs and getDeletableENI. */
class EniDeletionTest {

    @Test
    void aSpareEniBeyondWarmEniTargetIsDeleted() {
        var action = policy().decide(pool(primary(9, 0), eni("eni-b", 1).ips(9, 0).build()));
        assertDelete(action, "eni-b");
        assertTrue(action.reason().contains("no pod uses it"), action.reason());
    }

    @ParameterizedTest(name = "eni-b {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "plain | DELETE",
            "primary | eni-b is the primary ENI",
            "trunk | eni-b is the trunk ENI",
            "efa | eni-b is an EFA ENI",
            "attached 59.999s ago | eni-b is too young",
            "attached 60s ago | DELETE",
            "1 cooling | eni-b has 1 cooling address",
            "1 assigned | eni-b has 1 assigned address",
            "excluded | DELETE",
    })
    void everyReasonAnEniIsKept(String eniB, String expected) {
        var b = eni("eni-b", 1).ips(9, 0);
        switch (eniB) {
            case "primary" -> b.primary();
            case "trunk" -> b.trunk();
            case "efa" -> b.efa();
            case "attached 59.999s ago" -> b.createdAt(NOW.minusMillis(59_999));
            case "attached 60s ago" -> b.createdAt(NOW.minusSeconds(60));
            case "1 cooling" -> b.cooling(1);
            case "1 assigned" -> b.ips(9, 1);
            case "excluded" -> b.excluded();
            default -> { }
        }
        var action = policy("WARM_ENI_TARGET=0").decide(pool(primary(9, 0), b.build()));
        if (expected.equals("DELETE")) {
            assertDelete(action, "eni-b");
        } else {
            assertNothing(action, "no ENI can be deleted", "eni-primary is the primary ENI", expected);
        }
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            // secondary IPs: primary and eni-b hold 9 unassigned /32s each; releases are throttled
            "WARM_IP_TARGET=10 | sip | eni-b is needed for WARM_IP_TARGET=10",
            "WARM_IP_TARGET=9 | sip | DELETE",
            "MINIMUM_IP_TARGET=12 | sip | eni-b is needed for MINIMUM_IP_TARGET=12",
            "MINIMUM_IP_TARGET=9 | sip | DELETE",
            // prefixes: primary and eni-b hold 1 free prefix each; targets are rounded up to whole prefixes
            "WARM_IP_TARGET=16 | pd | DELETE",
            "WARM_IP_TARGET=17 | pd | eni-b is needed for WARM_IP_TARGET=17",
            "MINIMUM_IP_TARGET=16 | pd | DELETE",
            "MINIMUM_IP_TARGET=17 | pd | eni-b is needed for MINIMUM_IP_TARGET=17",
            "WARM_PREFIX_TARGET=1 | pd | DELETE",
            "WARM_PREFIX_TARGET=2 | pd | eni-b is needed for WARM_PREFIX_TARGET=2",
    })
    void anEniTheTargetsNeedIsKept(String setting, String mode, String expected) {
        var pd = mode.equals("pd");
        // The row's setting comes last, so it wins over the WARM_PREFIX_TARGET=0 before it.
        var settings = pd ? new String[] {"ENABLE_PREFIX_DELEGATION=true", "WARM_PREFIX_TARGET=0", setting} : new String[] {setting};
        var enis = pd
                ? new EniState[] {eni("eni-primary", 0).primary().prefixes(1, 0, 1).build(), eni("eni-b", 1).prefixes(1, 0, 1).build()}
                : new EniState[] {primary(9, 0), eni("eni-b", 1).ips(9, 0).build()};
        var action = policy(settings).decide(throttled(enis));
        if (expected.equals("DELETE")) {
            assertDelete(action, "eni-b");
        } else {
            assertNothing(action, expected);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void anExcludedEniIsNeverNeededForATarget(boolean excluded) {
        // Two of the primary's three prefixes hold a pod each, so only one prefix there is free.
        var b = eni("eni-b", 1).prefixes(1, 0, 1);
        if (excluded) {
            b.excluded();
        }
        var state = pool(eni("eni-primary", 0).primary().prefixes(3, 2, 1).build(), b.build());
        var action = policy("ENABLE_PREFIX_DELEGATION=true", "WARM_PREFIX_TARGET=2").decide(state);
        if (excluded) {
            assertDelete(action, "eni-b");
        } else {
            assertNothing(action, "eni-b is needed for WARM_PREFIX_TARGET=2");
        }
    }

    @Test
    void deletionStartsAtTheHighestDeviceNumberWhateverTheListOrder() {
        var b = eni("eni-b", 1).ips(9, 0).build();
        var c = eni("eni-c", 2).ips(9, 0).build();
        var wanted = policy("WARM_ENI_TARGET=0");
        assertDelete(wanted.decide(pool(primary(9, 0), b, c)), "eni-c");
        assertDelete(wanted.decide(pool(c, primary(9, 0), b)), "eni-c");
    }

    @Test
    void anUnschedulableNodeDeletesNoEni() {
        assertNothing(policy().decide(unschedulable(primary(9, 0), eni("eni-b", 1).ips(9, 0).build())),
                "unschedulable, not deleting ENIs");
    }

    @Test
    void theSameSnapshotInAnyOrderGivesTheSameAction() {
        var enis = new ArrayList<>(List.of(primary(9, 2), eni("eni-b", 1).ips(9, 0).createdAt(LONG_AGO).build(),
                eni("eni-c", 2).ips(5, 0).build(), eni("eni-d", 3).ips(0, 0).excluded().build()));
        var wanted = policy("WARM_IP_TARGET=3");
        var expected = wanted.decide(new PoolState(enis, 110, NOW, Instant.EPOCH, false));
        for (int i = 0; i < enis.size(); i++) {
            Collections.rotate(enis, 1);
            assertEquals(expected, wanted.decide(new PoolState(enis, 110, NOW, Instant.EPOCH, false)));
            Collections.reverse(enis);
            assertEquals(expected, wanted.decide(new PoolState(enis, 110, NOW, Instant.EPOCH, false)));
        }
    }

    @Test
    void theLimitsAreExposedForMetrics() {
        assertEquals(new PoolLimits(2, 9, 0), policy("MAX_ENI=2").limits());
    }

    @ParameterizedTest
    @ValueSource(strings = {"WARM_ENI_TARGET=1", "WARM_IP_TARGET=5"})
    void anIdleExcludedEniIsDeletedToFreeTheSlotALowPoolNeeds(String setting) {
        var state = pool(primary(9, 5), eni("eni-x", 1).excluded().ips(9, 0).build());
        var action = policy("MAX_ENI=2", setting).decide(state);
        assertDelete(action, "eni-x");
        assertTrue(action.reason().contains("excluded from pod addresses"), action.reason());
    }

    @Test
    void withoutASpareEniOnlyExcludedEnisAreCandidates() {
        // WARM_ENI_TARGET=1 sees no spare ENI (13 available < 2 × 9), so the idle eni-c stays; eni-x has pods.
        var state = pool(primary(9, 5), eni("eni-x", 1).excluded().ips(9, 3).build(), eni("eni-c", 2).ips(9, 0).build());
        assertNothing(policy().decide(state), "no ENI can be deleted: eni-x has 3 assigned addresses");
    }
}
