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
    /** Calls that must really run at once: a thread each, never a shared pool that could queue them. */
    private final java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newThreadPerTaskExecutor(
            Thread.ofPlatform().daemon().factory());

    @org.junit.jupiter.api.AfterEach
    void letHeldCallsFinish() {
        var held = wiring.holdSetUp;
        if (held != null) {
            held.countDown();
        }
        callers.shutdown();
    }

    private static PodNetworkRequest request(String containerId) {
        return new PodNetworkRequest(new AttachmentKey("aws-cni", containerId, "eth0"),
                new PodIdentity("default", "web-" + containerId, "uid", containerId), "/var/run/netns/cni-1", null, null);
    }

    @Test
    void addAssignsAnAddressAndWiresThePod() {
        var attached = pods.add(request("c1"), Caller.PATIENT);
        assertEquals("10.0.1.5", attached.allocation().ipv4Text());
        assertEquals("10.0.1.5", wiring.wired.get(request("c1").key()));
        assertEquals("eth0", attached.interfaces().containerIfName());
    }

    @Test
    void theListenerHearsOfEachNewAddressOnceAndCannotFailTheAdd() {
        var heard = new java.util.concurrent.CopyOnWriteArrayList<String>();
        pods.onAdded(allocation -> heard.add(allocation.pod().name() + "=" + allocation.ipv4Text()));
        pods.add(request("c1"), Caller.PATIENT);
        pods.add(request("c1"), Caller.PATIENT);
        assertEquals(List.of("web-c1=10.0.1.5"), heard, "a repeated ADD is not news");
        pods.onAdded(allocation -> {
            throw new IllegalStateException("the API server queue is broken");
        });
        assertEquals("10.0.1.6", pods.add(request("c2"), Caller.PATIENT).allocation().ipv4Text());
        assertEquals(2, allocator.status().assignedAddresses());
    }

    @Test
    void repeatedAddReturnsTheSameAddress() {
        var first = pods.add(request("c1"), Caller.PATIENT);
        var second = pods.add(request("c1"), Caller.PATIENT);
        assertEquals(first.allocation().ipv4(), second.allocation().ipv4());
        assertEquals(1, allocator.status().assignedAddresses());
    }

    @Test
    void failedWiringReleasesAFreshAddress() {
        wiring.failSetUp = "RTM_NEWLINK eni0123456789a: EEXIST";
        var e = assertThrows(WiringException.class, () -> pods.add(request("c1"), Caller.PATIENT));
        assertTrue(e.getMessage().contains("EEXIST"));
        assertEquals(0, allocator.status().assignedAddresses());
        assertEquals(2, allocator.status().availableAddresses());
    }

    @Test
    void failedWiringOnARetryKeepsTheAddressThePodAlreadyHolds() {
        pods.add(request("c1"), Caller.PATIENT);
        wiring.failSetUp = "netns gone";
        assertThrows(WiringException.class, () -> pods.add(request("c1"), Caller.PATIENT));
        assertTrue(allocator.find(request("c1").key()).isPresent());
    }

    @Test
    void exhaustedPoolIsReportedAndNothingIsWired() {
        pods.add(request("c1"), Caller.PATIENT);
        pods.add(request("c2"), Caller.PATIENT);
        var e = assertThrows(PoolException.class, () -> pods.add(request("c3"), Caller.PATIENT));
        assertEquals(PoolException.Reason.EXHAUSTED, e.reason());
        assertEquals(2, wiring.wired.size());
    }

    @Test
    void delTearsDownThenReleases() {
        pods.add(request("c1"), Caller.PATIENT);
        var released = pods.del(request("c1"), Caller.PATIENT);
        assertEquals("10.0.1.5", released.orElseThrow().ipv4Text());
        assertTrue(wiring.wired.isEmpty());
        assertEquals(0, allocator.status().assignedAddresses());
    }

    @Test
    void delOfAnUnknownPodStillTearsDownAndSucceeds() {
        var released = pods.del(request("never-added"), Caller.PATIENT);
        assertTrue(released.isEmpty());
        assertEquals(1, wiring.tornDown.size());
    }

    @Test
    void failedTeardownKeepsTheAddressSoItIsNeverHandedOutWhileRouted() {
        pods.add(request("c1"), Caller.PATIENT);
        wiring.failTearDown = "RTM_DELRULE 1536 from 10.0.1.5: EPERM";
        assertThrows(WiringException.class, () -> pods.del(request("c1"), Caller.PATIENT));
        assertTrue(allocator.find(request("c1").key()).isPresent());
        pods.add(request("c2"), Caller.PATIENT);
        assertEquals("10.0.1.6", allocator.find(request("c2").key()).orElseThrow().ipv4Text());
    }

    @Test
    void checkReportsAMissingRecordAndAPrevResultMismatch() {
        assertEquals(1, pods.check(request("c1"), Caller.PATIENT).size());
        pods.add(request("c1"), Caller.PATIENT);
        assertEquals(List.of(), pods.check(request("c1"), Caller.PATIENT));
        var prev = new PrevResult(new PodInterfaces("eni0123456789a", "", "eth0", ""), List.of("10.0.1.9/32"), "169.254.1.1");
        var withPrev = new PodNetworkRequest(request("c1").key(), request("c1").pod(), "/var/run/netns/cni-1", null, prev);
        var drifts = pods.check(withPrev, Caller.PATIENT);
        assertEquals(1, drifts.size());
        assertEquals("10.0.1.5", drifts.getFirst().expected());
        assertEquals("10.0.1.9", drifts.getFirst().actual());
    }

    @Test
    void garbageCollectionReleasesOnlyAttachmentsOutsideTheValidSet() {
        pods.add(request("keep"), Caller.PATIENT);
        pods.add(request("stale"), Caller.PATIENT);
        var outcome = pods.collectGarbage("aws-cni", Set.of(request("keep").key()));
        assertEquals(1, outcome.released());
        assertEquals(List.of(), outcome.errors());
        assertTrue(allocator.find(request("keep").key()).isPresent());
        assertTrue(allocator.find(request("stale").key()).isEmpty());
    }

    @Test
    void garbageCollectionContinuesPastFailuresAndNamesThem() {
        pods.add(request("a"), Caller.PATIENT);
        pods.add(request("b"), Caller.PATIENT);
        wiring.failTearDown = "EBUSY";
        var outcome = pods.collectGarbage("aws-cni", Set.of());
        assertEquals(0, outcome.released());
        assertEquals(2, outcome.errors().size());
        assertTrue(outcome.errors().getFirst().contains("aws-cni/a/eth0"), outcome.errors().getFirst());
    }

    /** Issue 10, defect 5: a DEL that arrives while its ADD is still wiring waits for it, then removes all of it. */
    @Test
    void aDelWaitsForTheAddOfTheSameAttachment() throws Exception {
        wiring.holdSetUp = new java.util.concurrent.CountDownLatch(1);
        var add = callers.submit(() -> pods.add(request("c1"), Caller.PATIENT));
        assertTrue(wiring.setUpStarted.tryAcquire(10, java.util.concurrent.TimeUnit.SECONDS), "ADD started wiring");
        var delThread = new java.util.concurrent.atomic.AtomicReference<Thread>();
        var del = callers.submit(() -> {
            delThread.set(Thread.currentThread());
            return pods.del(request("c1"), Caller.PATIENT);
        });
        awaitBlocked(delThread);
        assertTrue(!del.isDone(), "DEL waits while ADD wires");
        wiring.holdSetUp.countDown();
        add.get();
        assertEquals("10.0.1.5", del.get().orElseThrow().ipv4Text(), "DEL released what ADD assigned");
        assertTrue(wiring.wired.isEmpty(), "and removed what ADD wired");
        assertTrue(allocator.find(request("c1").key()).isEmpty());
    }

    @Test
    void anAddWhoseCallerLeftWhileWiringIsUndone() {
        var leaves = io.vpccni.ipamd.testing.Callers.goneAtLook(3);  // waiting as it starts and before wiring
        var e = assertThrows(CallerGoneException.class, () -> pods.add(request("c1"), leaves));
        assertTrue(e.getMessage().contains("the caller's deadline passed before answering"), e.getMessage());
        assertTrue(wiring.wired.isEmpty(), "the wiring was taken down");
        assertTrue(allocator.find(request("c1").key()).isEmpty(), "and the address released");
    }

    @Test
    void aCallWaitingForAnotherOnTheSameAttachmentStopsAtItsDeadline() throws Exception {
        wiring.holdSetUp = new java.util.concurrent.CountDownLatch(1);
        var add = callers.submit(() -> pods.add(request("c1"), Caller.PATIENT));
        assertTrue(wiring.setUpStarted.tryAcquire(10, java.util.concurrent.TimeUnit.SECONDS), "ADD started wiring");
        var expired = io.vpccni.ipamd.testing.Callers.goneAtLook(1);
        var e = assertThrows(CallerGoneException.class, () -> pods.del(request("c1"), expired));
        assertTrue(e.getMessage().contains("still running"), e.getMessage());
        wiring.holdSetUp.countDown();
        add.get();
        assertEquals("10.0.1.5", wiring.wired.get(request("c1").key()), "the ADD itself was not disturbed");
    }

    private static void awaitBlocked(java.util.concurrent.atomic.AtomicReference<Thread> thread) throws InterruptedException {
        var deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            var t = thread.get();
            if (t != null && (t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING)) {
                return;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("the DEL never blocked");
    }
}
