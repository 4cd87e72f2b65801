package io.vpccni.ipamd.policy;

import io.vpccni.ipamd.policy.PoolAction.AllocateEni;
import io.vpccni.ipamd.policy.PoolAction.AssignToEni;
import io.vpccni.ipamd.policy.PoolAction.DeleteEni;
import io.vpccni.ipamd.policy.PoolAction.Nothing;
import io.vpccni.ipamd.policy.PoolAction.ReleaseCidrs;
import io.vpccni.ipamd.policy.PoolAction.ReleaseCidrs.Release;

import java.time.Instant;
import java.util.List;

import static io.vpccni.ipamd.policy.Pools.M5_LARGE;
import static io.vpccni.ipamd.policy.Pools.NOW;
import static io.vpccni.ipamd.policy.Pools.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Policies and assertions on their decisions, for an m5.large: 3 ENIs of 9 secondary /32s, or of 9 /28 prefixes. */
final class Decisions {
    private Decisions() {
    }

    static WarmPoolPolicy policy(String... settings) {
        return new WarmPoolPolicy(config(settings), M5_LARGE);
    }

    static PoolState throttled(EniState... enis) {
        return new PoolState(List.of(enis), 110, NOW, NOW, false);
    }

    static PoolState unschedulable(EniState... enis) {
        return new PoolState(List.of(enis), 110, NOW, Instant.EPOCH, true);
    }

    static void assertNothing(PoolAction action, String... phrases) {
        var nothing = assertInstanceOf(Nothing.class, action);
        for (var phrase : phrases) {
            assertTrue(nothing.reason().contains(phrase), () -> "'" + phrase + "' not in: " + nothing.reason());
        }
    }

    static void assertAssign(PoolAction action, String eniId, int count, boolean prefixes) {
        var assign = assertInstanceOf(AssignToEni.class, action);
        assertEquals(List.of(eniId, count, prefixes), List.of(assign.eniId(), assign.count(), assign.prefixes()), assign.toString());
    }

    static void assertAllocate(PoolAction action, int count, boolean prefixes) {
        var allocate = assertInstanceOf(AllocateEni.class, action);
        assertEquals(List.of(count, prefixes), List.of(allocate.count(), allocate.prefixes()), allocate.toString());
    }

    static void assertRelease(PoolAction action, boolean prefixes, Release... releases) {
        var release = assertInstanceOf(ReleaseCidrs.class, action);
        assertEquals(List.of(releases), release.releases());
        assertEquals(prefixes, release.prefixes());
    }

    static void assertDelete(PoolAction action, String eniId) {
        assertEquals(eniId, assertInstanceOf(DeleteEni.class, action).eniId(), action.toString());
    }

}
