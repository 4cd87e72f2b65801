package io.vpccni.ipamd.policy;

import io.vpccni.ipamd.policy.PoolAction.Nothing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.vpccni.ipamd.policy.Decisions.assertAllocate;
import static io.vpccni.ipamd.policy.Decisions.assertAssign;
import static io.vpccni.ipamd.policy.Decisions.assertNothing;
import static io.vpccni.ipamd.policy.Decisions.policy;
import static io.vpccni.ipamd.policy.Decisions.unschedulable;
import static io.vpccni.ipamd.policy.Pools.eni;
import static io.vpccni.ipamd.policy.Pools.pool;
import static io.vpccni.ipamd.policy.Pools.primary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When and how the pool grows: upstream's isDatastorePoolTooLow and increaseDatastorePool, on an m5.large. */
class PoolGrowthTest {

    @Test
    void anEmptyPrimaryEniIsFilledWithAWholeEnisAddresses() {
        var action = policy().decide(pool(primary(0, 0)));
        assertAssign(action, "eni-primary", 9, false);
        assertTrue(action.reason().contains("WARM_ENI_TARGET=1"), action.reason());
    }

    @Test
    void anEniIsAskedForNoMoreThanItsRoom() {
        assertAssign(policy().decide(pool(primary(5, 1))), "eni-primary", 4, false);
    }

    @Test
    void aFullEniMeansANewEni() {
        var action = policy().decide(pool(primary(9, 1)));
        assertAllocate(action, 9, false);
        assertTrue(action.reason().contains("no ENI has room"), action.reason());
    }

    @Test
    void atMaxEniTheLowPoolWaitsAndSaysWhy() {
        var action = policy("MAX_ENI=2").decide(pool(primary(9, 1), eni("eni-b", 1).ips(9, 9).build()));
        assertNothing(action, "pool is low", "no ENI has room", "2 of at most 2 ENIs (MAX_ENI)");
    }

    @Test
    void atTheInstanceLimitTheLowPoolWaitsAndSaysWhy() {
        var action = policy().decide(pool(primary(9, 9), eni("eni-b", 1).ips(9, 9).build(), eni("eni-c", 2).ips(9, 9).build()));
        assertNothing(action, "3 of at most 3 ENIs");
        assertTrue(!action.reason().contains("MAX_ENI"), action.reason());
    }

    @Test
    void aMaxEniAboveTheInstanceLimitDoesNotRaiseIt() {
        var action = policy("MAX_ENI=8").decide(pool(primary(9, 9), eni("eni-b", 1).ips(9, 9).build(), eni("eni-c", 2).ips(9, 9).build()));
        assertNothing(action, "3 of at most 3 ENIs (MAX_ENI)");
    }

    @ParameterizedTest
    @CsvSource({
            // second ENI's kind, what growth does
            "plain, assign eni-b",
            "efa, allocate",
            "trunk, allocate",
            "excluded, allocate",
    })
    void trunkEfaAndExcludedEnisGetNoAddresses(String kind, String expected) {
        var b = eni("eni-b", 1).ips(2, 0);
        switch (kind) {
            case "efa" -> b.efa();
            case "trunk" -> b.trunk().ips(0, 0);
            case "excluded" -> b.excluded();
            default -> { }
        }
        var action = policy().decide(pool(primary(9, 5), b.build()));
        if (expected.equals("allocate")) {
            assertAllocate(action, 9, false);
        } else {
            assertAssign(action, "eni-b", 7, false);
        }
    }

    @Test
    void anExcludedEniStillTakesAnAttachmentSlot() {
        // eni-x still serves two pods, so it is not deleted to make room either.
        var action = policy("MAX_ENI=2").decide(pool(primary(9, 1), eni("eni-x", 1).excluded().ips(9, 2).build()));
        assertNothing(action, "2 of at most 2 ENIs", "eni-x has 2 assigned addresses");
    }

    @ParameterizedTest
    @CsvSource({
            // ENIs outside the pool (m5.large: 3 ENIs), MAX_ENI, what growth does
            "0, 0, allocate",
            "1, 0, allocate",
            "2, 0, nothing",
            "5, 0, nothing",
            "0, 2, allocate",
            "1, 2, nothing",
    })
    void enisOutsideThePoolTakeAttachmentSlotsToo(int outside, int maxEni, String expected) {
        var state = pool(primary(9, 9)).withUnpooledEnis(outside);
        var policy = maxEni == 0 ? policy() : policy("MAX_ENI=" + maxEni);
        var action = policy.decide(state);
        assertEquals(expected.equals("allocate"), policy.hasRoomForEni(state));
        if (expected.equals("allocate")) {
            assertAllocate(action, 9, false);
        } else {
            assertNothing(action, "no ENI has room");
        }
    }

    @Test
    void aFullNodeSaysHowManyOfItsEnisAreOutsideThePool() {
        var action = policy().decide(pool(primary(9, 9)).withUnpooledEnis(2));
        assertNothing(action, "3 of at most 3 ENIs, 2 of them outside the pool");
        assertTrue(!policy().hasRoomForEni(pool(primary(9, 9)).withUnpooledEnis(2)));
    }

    @Test
    void growthFillsTheLowestDeviceNumberFirstWhateverTheListOrder() {
        var action = policy().decide(pool(eni("eni-c", 2).ips(0, 0).build(), eni("eni-b", 1).ips(3, 0).build(), primary(9, 9)));
        assertAssign(action, "eni-b", 6, false);
    }

    @ParameterizedTest
    @CsvSource({
            // settings, primary total, primary assigned, action, count
            "WARM_IP_TARGET=5, 9, 7, allocate, 3",
            "WARM_IP_TARGET=5, 4, 2, assign, 3",
            "WARM_IP_TARGET=20, 0, 0, assign, 9",
            "WARM_IP_TARGET=20, 9, 0, allocate, 9",
            "MINIMUM_IP_TARGET=12, 9, 0, allocate, 3",
            "MINIMUM_IP_TARGET=12, 6, 0, assign, 3",
    })
    void withIpTargetsGrowthAsksForTheShortfall(String setting, int total, int assigned, String kind, int count) {
        var action = policy(setting).decide(pool(primary(total, assigned)));
        if (kind.equals("allocate")) {
            assertAllocate(action, count, false);
        } else {
            assertAssign(action, "eni-primary", count, false);
        }
        assertTrue(action.reason().contains("short of "), action.reason());
    }

    @ParameterizedTest
    @CsvSource({
            // settings, primary prefixes, assigned, free, action, count
            "WARM_PREFIX_TARGET=1, 0, 0, 0, assign, 1",
            "WARM_PREFIX_TARGET=3, 1, 0, 1, assign, 2",
            "WARM_PREFIX_TARGET=1, 9, 144, 0, allocate, 1",
            "WARM_PREFIX_TARGET=3, 9, 144, 0, allocate, 3",
            "WARM_IP_TARGET=40, 0, 0, 0, assign, 3",
            "WARM_IP_TARGET=40, 8, 128, 0, assign, 1",
            "WARM_IP_TARGET=200, 9, 144, 0, allocate, 9",
            "MINIMUM_IP_TARGET=17, 1, 0, 1, assign, 1",
    })
    void prefixModeGrowsInPrefixes(String setting, int prefixes, int assigned, int free, String kind, int count) {
        // Max pods above 9 × 16, so only the prefixes decide.
        var action = policy("ENABLE_PREFIX_DELEGATION=true", setting)
                .decide(pool(250, eni("eni-primary", 0).primary().prefixes(prefixes, assigned, free).build()));
        if (kind.equals("allocate")) {
            assertAllocate(action, count, true);
        } else {
            assertAssign(action, "eni-primary", count, true);
        }
    }

    @Test
    void anUnschedulableNodeDoesNotGrow() {
        assertNothing(policy().decide(unschedulable(primary(0, 0))), "unschedulable", "not growing");
    }

    @ParameterizedTest
    @CsvSource({"18, nothing", "19, allocate", "110, allocate"})
    void thePoolDoesNotGrowPastMaxPods(int maxPods, String expected) {
        var state = pool(maxPods, primary(9, 9), eni("eni-b", 1).ips(9, 9).build());
        var action = policy().decide(state);
        if (expected.equals("nothing")) {
            assertNothing(action, "at the node's max pods " + maxPods);
        } else {
            assertAllocate(action, 9, false);
        }
    }

    @ParameterizedTest
    @CsvSource({"112, nothing", "113, assign"})
    void prefixModeStopsAtMaxPodsToo(int maxPods, String expected) {
        // 7 prefixes = 112 addresses, all assigned: below WARM_PREFIX_TARGET=1 but maybe at max pods.
        var state = pool(maxPods, eni("eni-primary", 0).primary().prefixes(7, 112, 0).build());
        var action = policy("ENABLE_PREFIX_DELEGATION=true", "WARM_PREFIX_TARGET=1").decide(state);
        if (expected.equals("nothing")) {
            assertNothing(action, "at the node's max pods 112");
        } else {
            assertAssign(action, "eni-primary", 1, true);
        }
    }

    @Test
    void disabledProvisioningNeverActs() {
        assertNothing(policy("DISABLE_NETWORK_RESOURCE_PROVISIONING=true").decide(pool(primary(0, 0))),
                "DISABLE_NETWORK_RESOURCE_PROVISIONING=true");
        assertNothing(policy("DISABLE_NETWORK_RESOURCE_PROVISIONING=true", "WARM_IP_TARGET=1").decide(pool(primary(9, 0))),
                "DISABLE_NETWORK_RESOURCE_PROVISIONING=true");
    }

    @Test
    void aPoolAtItsTargetsIsLeftAlone() {
        assertEquals(new Nothing("pool within targets (total 9, assigned 0, available 9)"), policy().decide(pool(primary(9, 0))));
    }
}
