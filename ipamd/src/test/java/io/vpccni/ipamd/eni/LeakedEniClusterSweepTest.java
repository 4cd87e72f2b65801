package io.vpccni.ipamd.eni;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vpccni.ipamd.cloud.CloudException;
import io.vpccni.ipamd.cloud.EniTags;
import io.vpccni.ipamd.cloud.FakeEc2;
import io.vpccni.ipamd.cloud.InterfaceType;
import io.vpccni.ipamd.k8s.SweepLease;
import io.vpccni.ipamd.schedule.FakeScheduler;
import io.vpccni.ipamd.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster-wide sweep: the lease holder deletes what any node of the cluster leaked, terminated ones included,
 * and nothing of another cluster or VPC; the others make no call; without the lease every node sweeps its own.
 */
class LeakedEniClusterSweepTest {
    static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
    static final String CLUSTER = "prod";
    static final String VPC = "vpc-1";

    final MutableClock clock = new MutableClock(T0);
    final FakeEc2 ec2 = new FakeEc2("i-aaa", 3);
    final FakeSweepLease lease = new FakeSweepLease(clock);
    final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

    LeakedEniCollector node(String instanceId) {
        return node(instanceId, Optional.of(CLUSTER), lease.forNode(instanceId));
    }

    LeakedEniCollector node(String instanceId, Optional<String> cluster, SweepLease sweepLease) {
        return new LeakedEniCollector(ec2, new SweepScope(instanceId, VPC, cluster), sweepLease, metrics, clock);
    }

    /** An available ENI as {@code instanceId}'s daemon created it an hour ago in {@code cluster}, then changed by {@code edit}. */
    String leak(String instanceId, Consumer<Map<String, String>> edit) {
        var tags = new HashMap<>(EniTags.forNewEni(instanceId, T0.minus(Duration.ofHours(1)), Optional.of(CLUSTER), Map.of()));
        edit.accept(tags);
        return ec2.addAvailable(EniTags.description(instanceId), tags, VPC);
    }

    String leak(String instanceId) {
        return leak(instanceId, t -> { });
    }

    double deleted(String scope) {
        return metrics.get("awscni_leaked_enis_deleted").tag("scope", scope).counter().count();
    }

    double sweeps(String scope) {
        return metrics.get("awscni_leaked_eni_sweeps").tag("scope", scope).counter().count();
    }

    @Test
    void theHolderDeletesWhatATerminatedNodeLeaked() throws CloudException {
        var fromTheDead = leak("i-dead");
        var own = leak("i-aaa");

        assertEquals(List.of(fromTheDead, own), node("i-aaa").sweep());
        assertFalse(ec2.exists(fromTheDead));
        assertEquals(Optional.of("i-aaa"), lease.holder());
        assertEquals(1, ec2.findsWithFilter("tag-key"), "one cluster-wide call");
        assertEquals(2.0, deleted("cluster"));
    }

    record Kept(String why, String vpc, String description, Consumer<Map<String, String>> tags) {
        @Override
        public String toString() {
            return why;
        }
    }

    static Stream<Kept> kept() {
        return Stream.of(
                new Kept("another cluster's", VPC, null, t -> t.put(EniTags.CLUSTER_NAME, "staging")),
                new Kept("no cluster tag (a cluster without CLUSTER_NAME shares the VPC)", VPC, null, t -> t.remove(EniTags.CLUSTER_NAME)),
                new Kept("another VPC's, same cluster name", "vpc-2", null, t -> { }),
                new Kept("younger than the grace period (being attached now)", VPC, null,
                        t -> t.put(EniTags.CREATED_AT, EniTags.timestamp(T0.minus(Duration.ofMinutes(4))))),
                new Kept("no_manage=true", VPC, null, t -> t.put(EniTags.NO_MANAGE, "true")),
                new Kept("not described aws-K8S-", VPC, "an operator's ENI", t -> { }),
                new Kept("no instance tag (not made by a VPC CNI daemon)", VPC, null, t -> t.remove(EniTags.INSTANCE_ID)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kept")
    void theClusterSweepLeavesAlone(Kept c) throws CloudException {
        var tags = new HashMap<>(EniTags.forNewEni("i-dead", T0.minus(Duration.ofHours(1)), Optional.of(CLUSTER), Map.of()));
        c.tags().accept(tags);
        var kept = ec2.addAvailable(c.description() == null ? EniTags.description("i-dead") : c.description(), tags, c.vpc());
        var control = leak("i-dead");

        assertEquals(List.of(control), node("i-aaa").sweep(), "the control ENI beside it goes");
        assertTrue(ec2.exists(kept));
    }

    @Test
    void anEniAttachedMeanwhileIsLeftAlone() throws CloudException {
        var inUse = ec2.attachNew(InterfaceType.INTERFACE, 1, 0, EniTags.forNewEni("i-aaa", T0.minus(Duration.ofHours(1)),
                Optional.of(CLUSTER), Map.of()), EniTags.description("i-aaa"));
        assertEquals(List.of(), node("i-aaa").sweep());
        assertTrue(ec2.exists(inUse));
    }

    @Test
    void anEniWithoutCreationTagIsTaggedThenDeletedAfterTheGracePeriod() throws CloudException {
        var untagged = leak("i-dead", t -> t.remove(EniTags.CREATED_AT));
        var holder = node("i-aaa");
        assertEquals(List.of(), holder.sweep());
        assertEquals(1, ec2.callsOf("CreateTags"));

        clock.advance(LeakedEniCollector.MIN_AGE);
        assertEquals(List.of(untagged), holder.sweep());
    }

    @Test
    void aNonHolderMakesNoEc2CallAtAll() throws CloudException {
        var fromTheDead = leak("i-dead");
        var holder = node("i-aaa");
        holder.sweep();
        var leakedSince = leak("i-bbb");
        var callsBefore = ec2.calls().size();

        assertEquals(List.of(), node("i-bbb").sweep());
        assertEquals(callsBefore, ec2.calls().size(), "no DescribeNetworkInterfaces, no delete");
        assertEquals(1.0, sweeps("none"));
        assertTrue(ec2.exists(leakedSince), "left to the holder's next pass");
        assertFalse(ec2.exists(fromTheDead));

        clock.advance(LeakedEniCollector.INTERVAL);
        assertEquals(List.of(leakedSince), holder.sweep(), "the holder renews and sweeps i-bbb's leak too");
    }

    @Test
    void overADayThreeNodesMakeOneDescribeAnHourBetweenThem() {
        var scheduler = new FakeScheduler(clock);
        var random = new Random(7);
        for (var id : List.of("i-aaa", "i-bbb", "i-ccc")) {
            node(id).start(scheduler, random);
        }
        scheduler.advance(Duration.ofHours(24));  // first passes within 5 min, then hourly: 24 each
        assertEquals(24, ec2.callsOf("DescribeNetworkInterfaces"), "the holder's cluster sweeps, nothing else");
        assertEquals(24, ec2.findsWithFilter("tag-key"));
        assertEquals(48.0, sweeps("none"));
    }

    @Test
    void whenTheApiServerIsUnreachableEveryNodeStillSweepsItsOwn() throws CloudException {
        var fromTheDead = leak("i-dead");
        var ownA = leak("i-aaa");
        var ownB = leak("i-bbb");
        lease.apiServerDown(true);

        assertEquals(List.of(ownA), node("i-aaa").sweep());
        assertEquals(List.of(ownB), node("i-bbb").sweep());
        assertTrue(ec2.exists(fromTheDead), "nobody sweeps for the cluster without the lease");
        assertEquals(0, ec2.findsWithFilter("tag-key"));
        assertEquals(2.0, sweeps("node"));
        assertEquals(2.0, deleted("node"));
    }

    @Test
    void aLeaseThatThrowsCountsAsUnreachable() throws CloudException {
        var own = leak("i-aaa");
        SweepLease broken = term -> {
            throw new IllegalStateException("connection refused");
        };
        assertEquals(List.of(own), node("i-aaa", Optional.of(CLUSTER), broken).sweep());
    }

    @Test
    void withoutAClusterNameANodeSweepsItsOwnAndNeverClaimsTheLease() throws CloudException {
        var fromTheDead = leak("i-dead", t -> t.remove(EniTags.CLUSTER_NAME));
        var own = leak("i-aaa", t -> t.remove(EniTags.CLUSTER_NAME));

        assertEquals(List.of(own), node("i-aaa", Optional.empty(), lease.forNode("i-aaa")).sweep());
        assertTrue(ec2.exists(fromTheDead));
        assertEquals(0, lease.claims());
    }

    @Test
    void whenTheHolderDiesAnotherNodeTakesOverOnceItsTermLapses() throws CloudException {
        node("i-dying").sweep();
        var fromTheDying = leak("i-dying");  // it leaks, then is terminated: no more passes
        var survivor = node("i-bbb");

        clock.advance(LeakedEniCollector.INTERVAL);
        assertEquals(List.of(), survivor.sweep(), "the dead holder's term has not lapsed yet");
        clock.advance(LeakedEniCollector.INTERVAL);
        assertEquals(List.of(fromTheDying), survivor.sweep());
        assertEquals(Optional.of("i-bbb"), lease.holder());
    }

    @Test
    void aDeleteThatFindsTheEniGoneIsFine() throws CloudException {
        var fromTheDead = leak("i-dead");
        var other = leak("i-other");
        var once = new AtomicBoolean();
        ec2.during("DeleteNetworkInterface", () -> {
            if (once.compareAndSet(false, true)) {
                try {
                    ec2.delete(fromTheDead);  // another sweeper (an upstream daemon) got there first
                } catch (CloudException e) {
                    throw new AssertionError(e);
                }
            }
        });
        assertEquals(List.of(other), node("i-aaa").sweep(), "goes on past NotFound, reports only its own deletes");
        assertFalse(ec2.exists(fromTheDead));
    }

    @Test
    void theSweepAtStartStaysOnTheNodesOwnAndClaimsNothing() {
        var fromTheDead = leak("i-dead");
        var ownJustNow = leak("i-aaa", t -> t.put(EniTags.CREATED_AT, EniTags.timestamp(T0)));

        assertEquals(List.of(ownJustNow), node("i-aaa").sweepAtStart(), "no grace for its own at start");
        assertTrue(ec2.exists(fromTheDead), "another node's ENI gets the grace period and the lease");
        assertEquals(0, lease.claims());
    }
}
