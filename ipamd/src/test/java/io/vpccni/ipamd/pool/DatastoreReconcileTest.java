package io.vpccni.ipamd.pool;

import io.vpccni.ipamd.checkpoint.InMemoryCheckpointStore;
import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the node reconcile does to the pool: addresses EC2 took away leave it even while assigned and are never handed
 * out again, the pods holding them keep their assignment until their DEL, and what the daemon changed itself within
 * the reconcile cooldown is left alone.
 */
class DatastoreReconcileTest {
    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
    private static final PodIdentity POD = new PodIdentity("default", "web", "uid", "infra");
    private static final Duration AFTER_COOLDOWN = Datastore.RECONCILE_COOLDOWN.plusSeconds(1);

    private final MutableClock clock = new MutableClock(T0);
    private final Datastore ds = new Datastore(clock, Duration.ofSeconds(30), false);

    DatastoreReconcileTest() {
        ds.addEni(eni("eni-a", 0, true));
        ds.addEni(eni("eni-b", 1, false));
        for (var ip : List.of("10.0.0.5", "10.0.0.6")) {
            ds.addCidr("eni-a", cidr(ip), false);
        }
        ds.addCidr("eni-b", cidr("10.0.1.5"), false);
    }

    private static EniInfo eni(String id, int device, boolean primary) {
        return new EniInfo(id, "02:00:00:00:00:0" + device, device, 0, primary, false, false, "subnet-1",
                EniInfo.routeTableFor(0, device, primary), T0);
    }

    private static IpPrefix cidr(String ip) {
        return IpPrefix.host(IpPrefix.ipv4(ip));
    }

    private static AttachmentKey key(String c) {
        return new AttachmentKey("aws-cni", c, "eth0");
    }

    private int drained;

    /** Every address the pool still hands out, by assigning to new pods until it is exhausted. */
    private List<String> everyAddressHandedOut() {
        var out = new ArrayList<String>();
        while (true) {
            try {
                out.add(ds.assign(key("drain" + drained++), POD).allocation().ipv4Text());
            } catch (PoolException e) {
                return out;
            }
        }
    }

    @Test
    void aFreeAddressEc2TookAwayLeavesThePool() {
        assertEquals(Optional.of(List.of()), ds.forceRemoveCidr("eni-a", cidr("10.0.0.6")));
        assertEquals(List.of("10.0.0.5", "10.0.1.5"), everyAddressHandedOut());
    }

    @Test
    void anAssignedAddressEc2TookAwayIsNeverHandedOutAgainAndItsPodKeepsItsRecord() {
        var held = ds.assign(key("c1"), POD).allocation();
        assertEquals("10.0.0.5", held.ipv4Text());
        assertEquals(Optional.of(List.of(held)), ds.forceRemoveCidr("eni-a", cidr("10.0.0.5")));
        assertEquals(Optional.of(held), ds.find(key("c1")), "the pod's DEL still finds what to tear down");
        assertEquals(List.of(held), ds.orphaned());
        assertFalse(ds.usage().getFirst().cidrs().contains(cidr("10.0.0.5")));
        assertEquals(List.of("10.0.0.6", "10.0.1.5"), everyAddressHandedOut());
        ds.unassign(key("c1")).orElseThrow();
        clock.advance(Duration.ofMinutes(5));
        ds.snapshot();
        assertEquals(List.of(), ds.orphaned());
        assertEquals(List.of(), everyAddressHandedOut(), "not after the pod let go of it either");
    }

    @Test
    void anOrphanedAddressEc2GivesBackReturnsAsItsPodsNotAsAFreeOne() {
        var held = ds.assign(key("c1"), POD).allocation();
        ds.forceRemoveCidr("eni-a", cidr("10.0.0.5"));
        assertTrue(ds.addFoundCidr("eni-a", cidr("10.0.0.5")));
        assertEquals(Optional.of(held), ds.holderOf(held.ipv4()));
        assertEquals(List.of(), ds.orphaned());
        assertEquals(List.of("10.0.0.6", "10.0.1.5"), everyAddressHandedOut());
    }

    @Test
    void aDetachedEniLeavesThePoolWithItsAddressesAndThePodsOnItAreNamed() {
        ds.assign(key("c1"), POD);
        ds.assign(key("c2"), POD);
        var onB = ds.assign(key("c3"), POD).allocation();
        assertEquals(Optional.of(List.of(onB)), ds.forceRemoveEni("eni-b"));
        assertEquals(List.of("eni-a"), ds.usage().stream().map(u -> u.info().eniId()).toList());
        assertEquals(Optional.of(onB), ds.find(key("c3")));
        assertEquals(List.of(), everyAddressHandedOut());
    }

    @Test
    void thePrimaryEniIsNeverDropped() {
        assertEquals(Optional.empty(), ds.forceRemoveEni("eni-a"));
        assertEquals(2, ds.usage().size());
    }

    @Test
    void whatTheDaemonReleasedIsNotReAddedWithinTheCooldown() {
        var taken = ds.takeReleasable("eni-b", 1, false);
        assertEquals(List.of(cidr("10.0.1.5")), taken);
        assertTrue(ds.ownChanges().cidrs().contains(cidr("10.0.1.5")));
        assertFalse(ds.addFoundCidr("eni-b", cidr("10.0.1.5")), "a lagging EC2 still lists it");
        clock.advance(AFTER_COOLDOWN);
        assertTrue(ds.ownChanges().cidrs().isEmpty());
        assertTrue(ds.addFoundCidr("eni-b", cidr("10.0.1.5")), "EC2 still gives it after all: it is the pool's again");
    }

    @Test
    void whatTheDaemonJustGotIsNotDroppedWithinTheCooldown() {
        ds.noteOwnChange(List.of(cidr("10.0.1.9")));
        ds.addCidr("eni-b", cidr("10.0.1.9"), false);
        assertEquals(Optional.empty(), ds.forceRemoveCidr("eni-b", cidr("10.0.1.9")), "EC2 may not list it yet");
        clock.advance(AFTER_COOLDOWN);
        assertEquals(Optional.of(List.of()), ds.forceRemoveCidr("eni-b", cidr("10.0.1.9")));
    }

    @Test
    void anEniTheDaemonAttachedOrRemovedIsLeftAloneWithinTheCooldown() {
        ds.addEni(eni("eni-c", 2, false), List.of(cidr("10.0.2.5")), false, false);
        assertEquals(Optional.empty(), ds.forceRemoveEni("eni-c"));
        assertEquals(Optional.empty(), ds.forceRemoveCidr("eni-c", cidr("10.0.2.5")));
        clock.advance(AFTER_COOLDOWN);
        ds.removeEni("eni-c");
        assertTrue(ds.ownChanges().enis().contains("eni-c"), "IMDS may list it a while after it is gone");
    }

    @Test
    void anEniTheDaemonIsAttachingIsOutsideThePoolUntilItJoinsAndCannotBeAdoptedMeanwhile() {
        ds.attaching("eni-c", 2);
        assertEquals(List.of(new Datastore.UnpooledEni("eni-c", 0, 2, Datastore.UnpooledEni.ATTACHING)), ds.unpooledEnis());
        assertTrue(ds.unpooledEnis().getFirst().inDaemonHands());
        clock.advance(Duration.ofMinutes(10));  // however long its set-up takes
        assertThrows(IllegalStateException.class, () -> ds.addFoundEni(eni("eni-c", 2, false), List.of(), false));
        ds.addEni(eni("eni-c", 2, false), List.of(cidr("10.0.2.5")), false, false);
        assertEquals(List.of(), ds.unpooledEnis());
    }

    @Test
    void anEniSomeoneElseAttachedJoinsWithItsAddressesAndPrefixesAlike() {
        var pd = new Datastore(clock, Duration.ZERO, true);
        pd.addFoundEni(eni("eni-c", 2, false), List.of(IpPrefix.of("10.0.128.16/28"), cidr("10.0.2.5")), false);
        var usage = pd.usage().getFirst();
        assertEquals(2, usage.cidrs().size());
        assertEquals(16, usage.totalIps(), "prefix-delegation mode hands out only the prefix's addresses");
        assertEquals("10.0.128.16", pd.assign(key("c1"), POD).allocation().ipv4Text());
        assertTrue(pd.ownChanges().enis().isEmpty(), "a join by the reconcile is no change of the daemon's own");
    }

    @Test
    void anExcludedFoundEniOffersNothing() {
        ds.addFoundEni(eni("eni-c", 2, false), List.of(cidr("10.0.2.5")), true);
        assertFalse(everyAddressHandedOut().contains("10.0.2.5"));
    }

    @Test
    void aFoundCidrAnotherEniHoldsCannotJoin() {
        assertThrows(IllegalStateException.class, () -> ds.addFoundCidr("eni-b", cidr("10.0.0.5")));
        assertFalse(ds.addFoundCidr("eni-b", cidr("10.0.1.5")), "already there");
        assertFalse(ds.addFoundCidr("eni-x", cidr("10.0.9.9")), "no such ENI in the pool");
    }

    @Test
    void theOrphanedPodsReleaseIsDurableAsAnyOther() {
        var pool = new PooledAllocator(ds, new InMemoryCheckpointStore());
        pool.restore(a -> true);
        var held = pool.assign(key("c1"), POD).allocation();
        ds.forceRemoveCidr("eni-a", cidr(held.ipv4Text()));
        assertEquals(Optional.of(held), pool.release(key("c1")));
        assertEquals(Optional.empty(), pool.find(key("c1")));
        assertFalse(pool.allocations(null).contains(held));
    }
}
