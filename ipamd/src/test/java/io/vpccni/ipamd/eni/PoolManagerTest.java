package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.cloud.EniTags;
import io.vpccni.ipamd.cloud.FakeEc2.Fault;
import io.vpccni.ipamd.cloud.InterfaceType;
import io.vpccni.ipamd.policy.PoolAction;
import io.vpccni.ipamd.policy.PoolConfig;
import io.vpccni.ipamd.policy.WarmPoolPolicy;
import io.vpccni.ipamd.schedule.FakeScheduler;
import io.vpccni.ipamd.testing.CapturedLogs;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reconcile loop's passes: what a full node does (nothing, said once) and how failing passes back off. */
class PoolManagerTest {
    private static final Duration INTERVAL = Duration.ofMillis(2500);

    /** A node whose primary ENI's 9 addresses are all taken: the policy wants a new ENI. */
    private static Node lowNode(Node node) throws Exception {
        node.ec2.assignPrivateIps(node.ec2.primaryEniId(), 9);
        node.start();
        for (var i = 0; i < 9; i++) {
            node.addPod();
        }
        return node;
    }

    private static PoolManager manager(Node node) {
        return new PoolManager(new WarmPoolPolicy(PoolConfig.fromEnv(Map.of()), node.discovered.limits()), node.datastore,
                node.lifecycle, 29, node.clock);
    }

    @Test
    void aNodeWhoseSlotsOtherEnisHoldCreatesNoEniAndSaysSoOnce() throws Exception {
        var node = new Node(3, false);
        node.ec2.attachNew(InterfaceType.INTERFACE, 1, 0, Map.of(EniTags.NO_MANAGE, "true"), "the operator's");
        lowNode(node);
        node.ec2.attachNew(InterfaceType.INTERFACE, 2, 0, Map.of(), "another controller's, after the daemon started");
        var manager = manager(node);
        try (var logs = new CapturedLogs(PoolManager.class)) {
            for (var pass = 0; pass < 10; pass++) {
                manager.reconcileOnce();
            }
            assertEquals(0, node.ec2.callsOf("CreateNetworkInterface"), "no ENI created (and deleted) on any pass");
            assertEquals(1, node.ec2.callsOf("DescribeInstances"), "the first pass learns of the new ENI; the others know");
            assertEquals(1, logs.count("no free ENI slot"), logs.messages().toString());
            assertTrue(logs.messages().stream().anyMatch(m -> m.contains("no_manage")), logs.messages().toString());
        }
        assertEquals(2, node.datastore.unpooledEnis().size());
    }

    @Test
    void aSlotFreeAgainIsSaidOnce() throws Exception {
        var node = new Node(3, false);
        var other = node.ec2.attachNew(InterfaceType.TRUNK, 1, 0, Map.of(), "trunk");
        node.ec2.attachNew(InterfaceType.EFA, 2, 0, Map.of(), "efa");
        lowNode(node);
        var manager = manager(node);
        try (var logs = new CapturedLogs(PoolManager.class)) {
            manager.reconcileOnce();
            node.datastore.forgetUnpooled(other);  // as the lifecycle does once EC2 no longer lists it
            manager.reconcileOnce();
            assertEquals(1, logs.count("slot is free again"), logs.messages().toString());
        }
    }

    @Test
    void aPersistentUnexpectedFailureBacksOffBoundedIsLoggedOnceAndResetsOnSuccess() throws Exception {
        var node = lowNode(new Node(3, false));
        node.ec2.failAlways("DescribeInstances", Fault.UNEXPECTED);
        var manager = manager(node);
        try (var logs = new CapturedLogs(PoolManager.class)) {
            var waits = new ArrayList<Duration>();
            for (var pass = 0; pass < 10; pass++) {
                waits.add(manager.step(INTERVAL));
            }
            var floor = INTERVAL.multipliedBy(85).dividedBy(100);
            var ceiling = ReconcileFailures.MAX_WAIT.multipliedBy(115).dividedBy(100);
            assertTrue(waits.stream().allMatch(w -> w.compareTo(floor) >= 0 && w.compareTo(ceiling) <= 0), waits.toString());
            assertTrue(waits.get(3).compareTo(waits.get(0).multipliedBy(4)) > 0, "the wait grows: " + waits);
            assertTrue(waits.getLast().compareTo(ReconcileFailures.MAX_WAIT.multipliedBy(85).dividedBy(100)) >= 0, "to the cap: " + waits);
            assertEquals(1, logs.count("pool manager pass failed"), logs.messages().toString());

            node.ec2.heal("DescribeInstances");
            assertEquals(Duration.ZERO, manager.step(INTERVAL), "a pass that acted is followed at once by the next");
            assertEquals(1, logs.count("worked again after 10 failed"), logs.messages().toString());

            node.ec2.failNext("DescribeInstances", Fault.UNEXPECTED);
            for (var i = 0; i < 9; i++) {
                node.addPod();  // the new ENI's addresses go: the pool wants another ENI
            }
            assertTrue(manager.step(INTERVAL).compareTo(INTERVAL.multipliedBy(115).dividedBy(100)) <= 0,
                    "after a success the backoff starts over");
            assertEquals(2, logs.count("pool manager pass failed"), "the same failure after a success is news again");
        }
    }

    @Test
    void anEc2FailureBacksOffTooAndADifferentFailureIsLoggedAgain() throws Exception {
        var node = lowNode(new Node(3, false));
        node.ec2.failAlways("DescribeInstances", Fault.REFUSED);
        var manager = manager(node);
        try (var logs = new CapturedLogs(PoolManager.class)) {
            var first = manager.step(INTERVAL);
            var second = manager.step(INTERVAL);
            manager.step(INTERVAL);
            assertTrue(second.compareTo(first) > 0, first + " then " + second);
            assertEquals(1, logs.count("AllocateEni failed"), logs.messages().toString());

            node.ec2.failAlways("DescribeInstances", Fault.UNEXPECTED);
            manager.step(INTERVAL);
            manager.step(INTERVAL);
            assertEquals(1, logs.count("pool manager pass failed"), logs.messages().toString());
        }
    }

    @Test
    void aPassWithNothingToDoWaitsTheInterval() throws Exception {
        var node = new Node(3, false);
        node.ec2.assignPrivateIps(node.ec2.primaryEniId(), 9);
        node.start();
        var manager = manager(node);
        assertInstanceOf(PoolAction.Nothing.class, manager.reconcileOnce());
        assertEquals(INTERVAL, manager.step(INTERVAL));
    }

    @Test
    void theLoopRunsOnTheSchedulersClockAWakeRunsItAtOnceAndNoWakeCutsABackoffShort() throws Exception {
        var node = new Node(3, false);
        node.ec2.assignPrivateIps(node.ec2.primaryEniId(), 9);
        node.start();
        var scheduler = new FakeScheduler(node.clock);
        var manager = manager(node);
        manager.start(scheduler, INTERVAL);
        manager.wake();  // as an ADD would: coalesced with the first pass
        assertEquals(0, scheduler.runs("pool-manager"), "nothing runs until the clock allows it");
        scheduler.runDue();
        assertEquals(1, scheduler.runs("pool-manager"), "the first pass at once; it had nothing to do");
        assertEquals(Optional.of(INTERVAL), scheduler.dueIn("pool-manager"));
        scheduler.advance(INTERVAL.minusMillis(1));
        assertEquals(1, scheduler.runs("pool-manager"));
        scheduler.advance(Duration.ofMillis(1));
        assertEquals(2, scheduler.runs("pool-manager"), "the next after the interval");

        for (var i = 0; i < 9; i++) {
            node.addPod();
        }
        manager.wake();
        scheduler.runDue();
        assertEquals(2, node.pooledEnis().size(), "woken by the ADDs, the pool grew at once, pass after pass, without the clock moving");
        assertEquals(Optional.of(INTERVAL), scheduler.dueIn("pool-manager"), "then back to the interval");

        for (var i = 0; i < 9; i++) {
            node.addPod();
        }
        node.ec2.failAlways("DescribeInstances", Fault.UNEXPECTED);
        manager.wake();
        scheduler.runDue();
        var failed = scheduler.runs("pool-manager");
        var backoff = scheduler.dueIn("pool-manager").orElseThrow();
        assertTrue(backoff.compareTo(INTERVAL.multipliedBy(85).dividedBy(100)) >= 0, "a failed pass backs off: " + backoff);
        manager.wake();
        scheduler.runDue();
        scheduler.advance(backoff.minusMillis(1));
        assertEquals(failed, scheduler.runs("pool-manager"), "a wake during the backoff waits for its end");
        node.ec2.heal("DescribeInstances");
        scheduler.advance(Duration.ofMillis(1));
        assertEquals(3, node.pooledEnis().size(), "the pass at the end of the backoff works");

        var runs = scheduler.runs("pool-manager");
        manager.close();
        manager.wake();
        scheduler.advance(INTERVAL.multipliedBy(10));
        assertEquals(runs, scheduler.runs("pool-manager"), "none after close, woken or not");
    }
}
