package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.cloud.EniTags;
import io.vpccni.ipamd.cloud.InterfaceType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which attached ENIs pods may use: only plain interfaces on network card 0 that are not tagged no_manage. */
class EniEligibilityTest {
    @ParameterizedTest
    @CsvSource({
            // type, no_manage tag, card, left alone because (empty: used for pods)
            "INTERFACE, false, 0, ''",
            "INTERFACE, true, 0, no_manage=true",
            "TRUNK, false, 0, trunk ENI",
            "BRANCH, false, 0, branch ENI",
            "EFA, false, 0, EFA ENI",
            "EFA_ONLY, false, 0, no IP address",
            "OTHER, false, 0, interface type",
            "INTERFACE, false, 1, network card 1",
            "EFA_ONLY, false, 2, network card 2",
    })
    void onlyPlainInterfacesOnCardZeroCarryPods(InterfaceType type, boolean noManage, int card, String because) {
        var why = EniEligibility.whyNotForPods(type, noManage ? Map.of(EniTags.NO_MANAGE, "true") : Map.of(), card);
        if (because.isEmpty()) {
            assertEquals(java.util.Optional.empty(), why);
        } else {
            assertTrue(why.orElseThrow().contains(because), why.get());
        }
    }
}
