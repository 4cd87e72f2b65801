package io.vpccni.ipamd.pod;

import io.vpccni.ipamd.pool.AttachmentKey;
import io.vpccni.ipamd.pool.PodIdentity;
import io.vpccni.ipamd.pool.PoolException;
import io.vpccni.ipamd.testing.InMemoryAllocator;
import io.vpccni.ipamd.testing.RecordingWiring;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PodNetworksTest {
    private final InMemoryAllocator allocator = new InMemoryAllocator("10.0.1.5", "10.0.1.6");
    private final RecordingWiring wiring = new RecordingWiring();
    private final PodNetworks pods = new PodNetworks(allocator, wiring);

    private static PodNetworkRequest request(String containerId) {
        return new PodNetworkRequest(new AttachmentKey("aws-cni", containerId, "eth0"),
                new PodIdentity("default", "web-" + containerId, "uid", containerId), "/var/run/netns/cni-1", null, null);
    }

    @Test
    void addAssignsAnAddressAndWiresThePod() {
        var attached = pods.add(request("c1"));
        assertEquals("10.0.1.5", attached.allocation().ipv4Text());
        assertEquals("10.0.1.5", wiring.wired.get(request("c1").key()));
        assertEquals("eth0", attached.interfaces().containerIfName());
    }

    @Test
    void repeatedAddReturnsTheSameAddress() {
        var first = pods.add(request("c1"));
        var second = pods.add(request("c1"));
        assertEquals(first.allocation().ipv4(), second.allocation().ipv4());
        assertEquals(1, allocator.status().assignedAddresses());
    }

    @Test
    void failedWiringReleasesAFreshAddress() {
        wiring.failSetUp = "RTM_NEWLINK eni0123456789a: EEXIST";
        var e = assertThrows(WiringException.class, () -> pods.add(request("c1")));
        assertTrue(e.getMessage().contains("EEXIST"));
        assertEquals(0, allocator.status().assignedAddresses());
        assertEquals(2, allocator.status().availableAddresses());
    }

    @Test
    void failedWiringOnARetryKeepsTheAddressThePodAlreadyHolds() {
        pods.add(request("c1"));
        wiring.failSetUp = "netns gone";
        assertThrows(WiringException.class, () -> pods.add(request("c1")));
        assertTrue(allocator.find(request("c1").key()).isPresent());
    }

    @Test
    void exhaustedPoolIsReportedAndNothingIsWired() {
        pods.add(request("c1"));
        pods.add(request("c2"));
        var e = assertThrows(PoolException.class, () -> pods.add(request("c3")));
        assertEquals(PoolException.Reason.EXHAUSTED, e.reason());
        assertEquals(2, wiring.wired.size());
    }

    @Test
    void delTearsDownThenReleases() {
        pods.add(request("c1"));
        var released = pods.del(request("c1"));
        assertEquals("10.0.1.5", released.orElseThrow().ipv4Text());
        assertTrue(wiring.wired.isEmpty());
        assertEquals(0, allocator.status().assignedAddresses());
    }

    @Test
    void delOfAnUnknownPodStillTearsDownAndSucceeds() {
        var released = pods.del(request("never-added"));
        assertTrue(released.isEmpty());
        assertEquals(1, wiring.tornDown.size());
    }

    @Test
    void failedTeardownKeepsTheAddressSoItIsNeverHandedOutWhileRouted() {
        pods.add(request("c1"));
        wiring.failTearDown = "RTM_DELRULE 1536 from 10.0.1.5: EPERM";
        assertThrows(WiringException.class, () -> pods.del(request("c1")));
        assertTrue(allocator.find(request("c1").key()).isPresent());
        pods.add(request("c2"));
        assertEquals("10.0.1.6", allocator.find(request("c2").key()).orElseThrow().ipv4Text());
    }

    @Test
    void checkReportsAMissingRecordAndAPrevResultMismatch() {
        assertEquals(1, pods.check(request("c1")).size());
        pods.add(request("c1"));
        assertEquals(List.of(), pods.check(request("c1")));
        var prev = new PrevResult(new PodInterfaces("eni0123456789a", "", "eth0", ""), List.of("10.0.1.9/32"), "169.254.1.1");
        var withPrev = new PodNetworkRequest(request("c1").key(), request("c1").pod(), "/var/run/netns/cni-1", null, prev);
        var drifts = pods.check(withPrev);
        assertEquals(1, drifts.size());
        assertEquals("10.0.1.5", drifts.getFirst().expected());
        assertEquals("10.0.1.9", drifts.getFirst().actual());
    }

    @Test
    void garbageCollectionReleasesOnlyAttachmentsOutsideTheValidSet() {
        pods.add(request("keep"));
        pods.add(request("stale"));
        var outcome = pods.collectGarbage("aws-cni", Set.of(request("keep").key()));
        assertEquals(1, outcome.released());
        assertEquals(List.of(), outcome.errors());
        assertTrue(allocator.find(request("keep").key()).isPresent());
        assertTrue(allocator.find(request("stale").key()).isEmpty());
    }

    @Test
    void garbageCollectionContinuesPastFailuresAndNamesThem() {
        pods.add(request("a"));
        pods.add(request("b"));
        wiring.failTearDown = "EBUSY";
        var outcome = pods.collectGarbage("aws-cni", Set.of());
        assertEquals(0, outcome.released());
        assertEquals(2, outcome.errors().size());
        assertTrue(outcome.errors().getFirst().contains("aws-cni/a/eth0"), outcome.errors().getFirst());
    }
}
