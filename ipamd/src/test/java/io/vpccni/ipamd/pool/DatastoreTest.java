package io.vpccni.ipamd.pool;

import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatastoreTest {
    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
    private final MutableClock clock = new MutableClock(T0);
    private final Datastore sip = new Datastore(clock, Duration.ofSeconds(30), false);

    private static EniInfo eni(String id, int device, boolean primary) {
        return new EniInfo(id, "02:00:00:00:00:0" + device, device, 0, primary, false, false, "subnet-1",
                primary ? 254 : device + 1, T0);
    }

    private static AttachmentKey key(String c) {
        return new AttachmentKey("aws-cni", c, "eth0");
    }

    private static final PodIdentity POD = new PodIdentity("default", "web", "uid", "infra");

    private void twoEnis(Datastore ds) {
        ds.addEni(eni("eni-b", 1, false));
        ds.addEni(eni("eni-a", 0, true));
        ds.addCidr("eni-b", IpPrefix.of("10.0.1.20/32"), false);
        ds.addCidr("eni-b", IpPrefix.of("10.0.1.10/32"), false);
        ds.addCidr("eni-a", IpPrefix.of("10.0.0.30/32"), false);
    }

    @Test
    void assignsInDeviceThenAddressOrderAndKnowsTheRouteTable() {
        twoEnis(sip);
        var first = sip.assign(key("c1"), POD).allocation();
        assertEquals("10.0.0.30", first.ipv4Text());
        assertEquals(254, first.routeTableId());
        var second = sip.assign(key("c2"), POD).allocation();
        assertEquals("10.0.1.10", second.ipv4Text());
        assertEquals(1, second.deviceNumber());
        assertEquals(2, second.routeTableId());
        assertEquals("10.0.1.20", sip.assign(key("c3"), POD).allocation().ipv4Text());
        var e = assertThrows(PoolException.class, () -> sip.assign(key("c4"), POD));
        assertEquals(PoolException.Reason.EXHAUSTED, e.reason());
    }

    @Test
    void assignIsIdempotentForTheSameKey() {
        twoEnis(sip);
        var a = sip.assign(key("c1"), POD);
        var b = sip.assign(key("c1"), POD);
        assertTrue(a.fresh());
        assertFalse(b.fresh());
        assertEquals(a.allocation(), b.allocation());
        assertEquals(a.version(), b.version(), "a repeat changes nothing, so there is nothing new to persist");
    }

    @Test
    void unassignOfAnUnknownKeyIsADistinctNonErrorOutcome() {
        twoEnis(sip);
        assertTrue(sip.unassign(key("never")).isEmpty());
    }

    @Test
    void releasedAddressesCoolDownBeforeReuse() {
        sip.addEni(eni("eni-a", 0, true));
        sip.addCidr("eni-a", IpPrefix.of("10.0.0.30/32"), false);
        var a = sip.assign(key("c1"), POD).allocation();
        var released = sip.unassign(key("c1")).orElseThrow();
        sip.confirmRelease(released.allocation());
        assertThrows(PoolException.class, () -> sip.assign(key("c2"), POD));
        clock.advance(Duration.ofSeconds(29));
        assertThrows(PoolException.class, () -> sip.assign(key("c2"), POD));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(a.ipv4(), sip.assign(key("c2"), POD).allocation().ipv4());
    }

    @Test
    void aReleaseThatIsNotYetDurableNeverFreesTheAddressEvenWithoutCooldown() {
        var noCooldown = new Datastore(clock, Duration.ZERO, false);
        noCooldown.addEni(eni("eni-a", 0, true));
        noCooldown.addCidr("eni-a", IpPrefix.of("10.0.0.30/32"), false);
        var a = noCooldown.assign(key("c1"), POD).allocation();
        noCooldown.unassign(key("c1"));
        assertThrows(PoolException.class, () -> noCooldown.assign(key("c2"), POD));
        noCooldown.undoUnassign(a, T0);
        assertEquals(a, noCooldown.find(key("c1")).orElseThrow());
    }

    @Test
    void undoingAnAssignmentFreesTheAddressAtOnce() {
        sip.addEni(eni("eni-a", 0, true));
        sip.addCidr("eni-a", IpPrefix.of("10.0.0.30/32"), false);
        var a = sip.assign(key("c1"), POD).allocation();
        sip.undoAssign(a);
        assertTrue(sip.find(key("c1")).isEmpty());
        assertEquals(a.ipv4(), sip.assign(key("c2"), POD).allocation().ipv4());
    }

    @Test
    void prefixModeAssignsOnlyFromPrefixesAndSecondaryModeOnlyFromSlash32s() {
        var pd = new Datastore(clock, Duration.ofSeconds(30), true);
        pd.addEni(eni("eni-a", 0, true));
        pd.addCidr("eni-a", IpPrefix.of("10.0.0.30/32"), false);
        pd.addCidr("eni-a", IpPrefix.of("10.0.2.16/28"), true);
        var seen = new HashSet<String>();
        for (var i = 0; i < 16; i++) {
            seen.add(pd.assign(key("c" + i), POD).allocation().ipv4Text());
        }
        assertEquals(16, seen.size());
        assertFalse(seen.contains("10.0.0.30"));
        assertTrue(seen.contains("10.0.2.16") && seen.contains("10.0.2.31"));
        assertThrows(PoolException.class, () -> pd.assign(key("c16"), POD));

        sip.addEni(eni("eni-a", 0, true));
        sip.addCidr("eni-a", IpPrefix.of("10.0.2.16/28"), true);
        assertThrows(PoolException.class, () -> sip.assign(key("x"), POD));
    }

    @Test
    void excludedEnisGetNoNewAssignments() {
        twoEnis(sip);
        sip.setExcluded("eni-a", true);
        assertEquals("10.0.1.10", sip.assign(key("c1"), POD).allocation().ipv4Text());
    }

    @Test
    void eniDeletionRules() {
        twoEnis(sip);
        var e = assertThrows(IllegalStateException.class, () -> sip.removeEni("eni-a"));
        assertTrue(e.getMessage().contains("primary"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> sip.removeEni("eni-b"));
        assertTrue(e.getMessage().contains("younger than 60 s"), e.getMessage());
        clock.advance(Duration.ofMinutes(1));
        sip.setExcluded("eni-a", true);
        sip.assign(key("c1"), POD);
        e = assertThrows(IllegalStateException.class, () -> sip.removeEni("eni-b"));
        assertTrue(e.getMessage().contains("assigned to aws-cni/c1/eth0"), e.getMessage());
        sip.confirmRelease(sip.unassign(key("c1")).orElseThrow().allocation());
        e = assertThrows(IllegalStateException.class, () -> sip.removeEni("eni-b"));
        assertTrue(e.getMessage().contains("cooling down"), e.getMessage());
        clock.advance(Duration.ofSeconds(30));
        assertTrue(sip.deletable("eni-b"));
        sip.removeEni("eni-b");
        assertEquals(1, sip.usage().size());
    }

    @Test
    void cidrsWithAssignedOrCoolingAddressesStay() {
        twoEnis(sip);
        sip.assign(key("c1"), POD);
        assertThrows(IllegalStateException.class, () -> sip.removeCidr("eni-a", IpPrefix.of("10.0.0.30/32")));
        assertEquals(List.of(IpPrefix.of("10.0.1.10/32"), IpPrefix.of("10.0.1.20/32")), sip.releasableCidrs("eni-b"));
        sip.removeCidr("eni-b", IpPrefix.of("10.0.1.20/32"));
        assertEquals(2, sip.usage().stream().mapToInt(Datastore.EniUsage::totalIps).sum());
    }

    @Test
    void usageCountsWhatThePolicyNeeds() {
        var pd = new Datastore(clock, Duration.ofSeconds(30), true);
        pd.addEni(eni("eni-a", 0, true));
        pd.addCidr("eni-a", IpPrefix.of("10.0.2.16/28"), true);
        pd.addCidr("eni-a", IpPrefix.of("10.0.2.32/28"), true);
        pd.assign(key("c1"), POD);
        pd.confirmRelease(pd.unassign(key("c1")).orElseThrow().allocation());
        pd.assign(key("c2"), POD);
        var u = pd.usage().getFirst();
        assertEquals(32, u.totalIps());
        assertEquals(1, u.assignedIps());
        assertEquals(1, u.coolingIps());
        assertEquals(2, u.prefixes());
        assertEquals(1, u.freePrefixes());
    }

    @Test
    void restoreAttachesCheckpointedAddressesToTheCidrsThatHoldThem() {
        twoEnis(sip);
        var wanted = new Allocation(key("c9"), POD, IpPrefix.ipv4("10.0.1.20"), 0, 0);
        assertEquals(null, sip.restore(wanted, T0));
        var restored = sip.find(key("c9")).orElseThrow();
        assertEquals(1, restored.deviceNumber());
        assertEquals(2, restored.routeTableId());
        assertTrue(sip.restore(new Allocation(key("c8"), POD, IpPrefix.ipv4("10.9.9.9"), 0, 0), T0).contains("none of this node's ENIs"));
        assertTrue(sip.restore(new Allocation(key("c7"), POD, IpPrefix.ipv4("10.0.1.20"), 0, 0), T0).contains("already restored"));
    }

    @Test
    void overlappingCidrsAreRefused() {
        twoEnis(sip);
        assertThrows(IllegalStateException.class, () -> sip.addCidr("eni-a", IpPrefix.of("10.0.1.16/28"), true));
        assertThrows(IllegalArgumentException.class, () -> sip.addCidr("eni-a", IpPrefix.of("10.0.3.17/28"), true));
    }

    @Test
    void takeReleasableTakesOnlyIdleCidrsOfTheAskedKindAndNoPodCanGetThemAfterwards() {
        twoEnis(sip);
        sip.addCidr("eni-b", IpPrefix.of("10.0.1.48/28"), true);  // the other mode's CIDR: never taken for /32 releases
        sip.addCidr("eni-b", IpPrefix.of("10.0.1.30/32"), false);
        sip.assign(key("c1"), POD);  // 10.0.0.30 on eni-a
        var held = sip.assign(key("c2"), POD).allocation();  // 10.0.1.10, the lowest on eni-b
        sip.confirmRelease(sip.unassign(key("c2")).orElseThrow().allocation());  // now cooling
        sip.assign(key("c3"), POD);  // 10.0.1.20

        var taken = sip.takeReleasable("eni-b", 5, false);

        assertEquals(List.of(IpPrefix.of("10.0.1.30/32")), taken, "assigned, cooling and /28 CIDRs stay");
        assertThrows(PoolException.class, () -> sip.assign(key("c4"), POD), "a taken CIDR is out of the pool");
        assertEquals("10.0.1.10", held.ipv4Text());
        sip.putBack("eni-b", taken, false);
        assertEquals("10.0.1.30", sip.assign(key("c4"), POD).allocation().ipv4Text());
    }

    @Test
    void takeReleasableStopsAtTheCount() {
        twoEnis(sip);
        assertEquals(List.of(IpPrefix.of("10.0.1.10/32")), sip.takeReleasable("eni-b", 1, false));
        assertEquals(List.of(IpPrefix.of("10.0.1.20/32")), sip.takeReleasable("eni-b", 1, false));
        assertEquals(List.of(), sip.takeReleasable("eni-b", 1, false));
    }

    @Test
    void anEniAddedWithItsCidrsIsAddedWholeOrNotAtAll() {
        twoEnis(sip);
        var clash = List.of(IpPrefix.of("10.0.2.10/32"), IpPrefix.of("10.0.1.20/32"));  // the second is eni-b's
        assertThrows(IllegalStateException.class, () -> sip.addEni(eni("eni-c", 2, false), clash, false, false));
        assertEquals(2, sip.usage().size(), "nothing of eni-c was added");
        assertTrue(sip.releasableCidrs("eni-b").contains(IpPrefix.of("10.0.1.20/32")));

        sip.addEni(eni("eni-c", 2, false), List.of(IpPrefix.of("10.0.2.10/32")), false, true);
        var c = sip.usage().stream().filter(u -> u.info().eniId().equals("eni-c")).findFirst().orElseThrow();
        assertTrue(c.excluded());
        assertEquals(1, c.totalIps());
        assertThrows(IllegalStateException.class, () -> sip.addEni(eni("eni-d", 2, false), List.of(), false, false));
    }

    @Test
    void unpooledEnisAreKeptApartFromThePool() {
        twoEnis(sip);
        sip.recordUnpooled(new Datastore.UnpooledEni("eni-t", 0, 2, "trunk"));
        sip.recordUnpooled(new Datastore.UnpooledEni("eni-b", 0, 1, "ignored: in the pool"));
        assertEquals(List.of(new Datastore.UnpooledEni("eni-t", 0, 2, "trunk")), sip.unpooledEnis());
        assertEquals(2, sip.usage().size());
        sip.forgetUnpooled("eni-t");
        assertEquals(List.of(), sip.unpooledEnis());
    }
}
