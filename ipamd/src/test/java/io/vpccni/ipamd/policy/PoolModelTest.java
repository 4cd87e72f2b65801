package io.vpccni.ipamd.policy;

import io.vpccni.ipamd.policy.PoolAction.AllocateEni;
import io.vpccni.ipamd.policy.PoolAction.AssignToEni;
import io.vpccni.ipamd.policy.PoolAction.DeleteEni;
import io.vpccni.ipamd.policy.PoolAction.Nothing;
import io.vpccni.ipamd.policy.PoolAction.ReleaseCidrs;
import io.vpccni.ipamd.policy.PoolAction.ReleaseCidrs.Release;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.List;

import static io.vpccni.ipamd.policy.Pools.LONG_AGO;
import static io.vpccni.ipamd.policy.Pools.NOW;
import static io.vpccni.ipamd.policy.Pools.eni;
import static io.vpccni.ipamd.policy.Pools.primary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The policy's inputs and outputs refuse values that cannot describe a real pool. */
class PoolModelTest {

    @ParameterizedTest(name = "total={0} assigned={1} cooling={2} prefixes={3} free={4} device={5}")
    @CsvSource({
            "-1, 0, 0, 0, 0, 0",
            "5, 4, 2, 0, 0, 0",
            "16, 0, 0, 1, 2, 0",
            "9, 0, 0, 0, -1, 0",
            "9, 0, 0, 0, 0, -1",
    })
    void anEnisCountsMustAddUp(int total, int assigned, int cooling, int prefixes, int free, int device) {
        assertThrows(IllegalArgumentException.class, () -> new EniState("eni-a", device, false, false, false, false,
                LONG_AGO, total, assigned, cooling, prefixes, free));
    }

    @Test
    void anEniNeedsAnIdAndACreationTime() {
        assertThrows(IllegalArgumentException.class, () -> new EniState(" ", 0, false, false, false, false, LONG_AGO, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new EniState("eni-a", 0, false, false, false, false, null, 0, 0, 0, 0, 0));
    }

    @Test
    void anEniKnowsItsUnassignedAndUnusedAddresses() {
        var e = eni("eni-a", 1).ips(9, 3).cooling(2).build();
        assertEquals(6, e.unassignedIps());
        assertEquals(4, e.unusedIps());
    }

    @Test
    void poolStatsLeaveExcludedEnisOut() {
        var stats = PoolStats.of(List.of(primary(9, 2), eni("eni-x", 1).excluded().ips(9, 1).build(),
                eni("eni-p", 2).prefixes(2, 3, 1).cooling(1).build()));
        assertEquals(new PoolStats(41, 5, 1, 2, 1), stats);
        assertEquals(36, stats.availableIps());
    }

    @Test
    void aPoolListsEachEniOnce() {
        var e = assertThrows(IllegalArgumentException.class, () -> new PoolState(List.of(primary(9, 0), primary(9, 0)),
                110, NOW, Instant.EPOCH, false));
        assertTrue(e.getMessage().contains("eni-primary"), e.getMessage());
    }

    @Test
    void aPoolNeedsItsInstants() {
        assertThrows(IllegalArgumentException.class, () -> new PoolState(List.of(), 110, null, Instant.EPOCH, false));
        assertThrows(IllegalArgumentException.class, () -> new PoolState(List.of(), 110, NOW, null, false));
        assertThrows(IllegalArgumentException.class, () -> new PoolState(List.of(), -1, NOW, Instant.EPOCH, false));
    }

    @Test
    void actionsRefuseEmptyWork() {
        assertThrows(IllegalArgumentException.class, () -> new Nothing(""));
        assertThrows(IllegalArgumentException.class, () -> new AllocateEni(0, false, "why"));
        assertThrows(IllegalArgumentException.class, () -> new AssignToEni("eni-a", 0, false, "why"));
        assertThrows(IllegalArgumentException.class, () -> new AssignToEni("", 1, false, "why"));
        assertThrows(IllegalArgumentException.class, () -> new ReleaseCidrs(List.of(), false, "why"));
        assertThrows(IllegalArgumentException.class, () -> new Release("eni-a", 0));
        assertThrows(IllegalArgumentException.class, () -> new DeleteEni("eni-a", " "));
    }

    @Test
    void aReleaseTotalsItsEnis() {
        var release = new ReleaseCidrs(List.of(new Release("eni-b", 3), new Release("eni-a", 2)), true, "why");
        assertEquals(5, release.total());
    }
}
