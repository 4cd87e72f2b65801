package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.testing.CapturedLogs;

import io.vpccni.ipamd.cloud.FakeEc2.Fault;
import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.policy.PoolAction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A new ENI either ends up attached, wired and in the pool with all its addresses, or gone from EC2 and from the
 * pool, whichever step fails; one EC2 could not detach stays known as attached until a later pass removes it.
 */
class EniAllocationTest {
    private static final PoolAction.AllocateEni ALLOCATE = new PoolAction.AllocateEni(3, false, "test");

    private Node node;

    @BeforeEach
    void start() throws Exception {
        node = new Node(3, false).start();
    }

    private String newest() {
        return node.ec2.eniIds().getLast();
    }

    @Test
    void aNewEniJoinsThePoolWithAllItsAddresses() throws Exception {
        node.lifecycle.apply(ALLOCATE);
        var eni = newest();
        assertTrue(node.ec2.attached(eni));
        assertEquals(3, node.pooledCidrs(eni).size());
        assertEquals(List.of("up " + eni), node.wiring);
        node.assertPoolMatchesEc2();
    }

    @Test
    void anAdmissionCheckThatThrowsLeavesTheEniNeitherInEc2NorInThePool() {
        node.lifecycle.admission((eniId, mac) -> {
            throw new IllegalStateException("cannot read the link's manager");
        });
        assertThrows(EniException.class, () -> node.lifecycle.apply(ALLOCATE));
        assertEquals(1, node.ec2.eniIds().size(), "the new ENI was deleted");
        node.assertPoolMatchesEc2();
        assertEquals("down", node.wiring.getLast().split(" ")[0], "its host side was undone");
    }

    @Test
    void anEniWhoseAddressesClashWithThePoolIsNeitherInEc2NorInThePool() {
        // The node already holds an address EC2 gives the new ENI (e.g. a stale entry): the ENI cannot join.
        node.ec2.during("ModifyNetworkInterfaceAttribute", () -> node.datastore.addCidr(node.primary(),
                IpPrefix.host(IpPrefix.ipv4(node.ec2.secondaryIps(newest()).get(1))), false));
        assertThrows(EniException.class, () -> node.lifecycle.apply(ALLOCATE));
        assertEquals(1, node.ec2.eniIds().size(), "the new ENI was deleted");
        assertEquals(java.util.Set.of(node.primary()), node.pooledEnis());
    }

    @Test
    void anEniThatNeverAppearsInImdsIsNeitherInEc2NorInThePool() {
        node.imds.hideNewEnis();
        assertThrows(EniException.class, () -> node.lifecycle.apply(ALLOCATE));
        assertEquals(1, node.ec2.eniIds().size());
        node.assertPoolMatchesEc2();
    }

    @Test
    void aHostWiringFailureLeavesTheEniNeitherInEc2NorInThePool() throws Exception {
        node.lifecycle = new EniLifecycle(node.ec2, node.imds, node.datastore, node.discovered.identity(), (mac, t) -> "eth1",
                new EniHostWiring() {
                    @Override
                    public void setUp(io.vpccni.ipamd.pool.EniInfo eni, String linkName, String primaryIp, IpPrefix subnet) {
                        throw new IllegalStateException("route table busy");
                    }

                    @Override
                    public void tearDown(io.vpccni.ipamd.pool.EniInfo eni) {
                    }
                }, node.clock, new Backoff(java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(1), 3, d -> { }, new java.util.Random(1)));
        assertThrows(EniException.class, () -> node.lifecycle.apply(ALLOCATE));
        assertEquals(1, node.ec2.eniIds().size());
        node.assertPoolMatchesEc2();
    }

    @Test
    void aFailedAttachDeletesTheEniAndItsLogLinesNameIt() {
        node.ec2.failAlways("AttachNetworkInterface", Fault.REFUSED);
        List<ch.qos.logback.classic.spi.ILoggingEvent> events;
        try (var logs = new CapturedLogs(EniLifecycle.class)) {
            assertThrows(EniException.class, () -> node.lifecycle.apply(ALLOCATE));
            events = logs.events();
        }
        assertEquals(1, node.ec2.eniIds().size());
        node.assertPoolMatchesEc2();
        var warning = events.stream().filter(e -> e.getFormattedMessage().startsWith("attaching ")).findFirst().orElseThrow();
        assertTrue(warning.getMDCPropertyMap().get(EniLifecycle.ENI_ID).startsWith("eni-"), "the eniId log field: " + warning);
        assertTrue(warning.getFormattedMessage().contains(warning.getMDCPropertyMap().get(EniLifecycle.ENI_ID)));
    }

    @Test
    void anEniEc2CannotDetachStaysKnownAsAttachedAndIsRemovedOnALaterPass() throws Exception {
        node.lifecycle.admission((eniId, mac) -> {
            throw new IllegalStateException("cannot read the link's manager");
        });
        node.ec2.failAlways("DetachNetworkInterface", Fault.THROTTLED);
        assertThrows(EniException.class, () -> node.lifecycle.apply(ALLOCATE));
        var stuck = newest();
        assertTrue(node.ec2.attached(stuck));
        assertEquals(List.of(stuck), node.datastore.unpooledEnis().stream().map(u -> u.eniId()).toList(),
                "still attached: it holds a slot, though no pod may use it");
        assertFalse(node.pooledEnis().contains(stuck));

        node.ec2.heal("DetachNetworkInterface");
        node.clock.advance(EniRemover.RETRY_INTERVAL);
        node.lifecycle.finishAbandonedRemovals();
        assertFalse(node.ec2.exists(stuck));
        assertEquals(List.of(), node.datastore.unpooledEnis());
    }

    @Test
    void anEniToDeleteThatCannotBeDetachedStaysKnownAsAttached() throws Exception {
        node.lifecycle.apply(ALLOCATE);
        var eni = newest();
        node.clock.advance(java.time.Duration.ofMinutes(2));
        node.ec2.failAlways("DetachNetworkInterface", Fault.THROTTLED);
        node.lifecycle.apply(new PoolAction.DeleteEni(eni, "test"));
        assertTrue(node.ec2.attached(eni));
        assertEquals(List.of(eni), node.datastore.unpooledEnis().stream().map(u -> u.eniId()).toList());
        node.assertPoolMatchesEc2();
    }

    @Test
    void anEniWhoseAttachmentCannotBeLookedUpIsNotTouched() throws Exception {
        node.lifecycle.apply(ALLOCATE);
        var eni = newest();
        node.clock.advance(java.time.Duration.ofMinutes(2));
        node.ec2.failAlways("DescribeNetworkInterfaces", Fault.THROTTLED);
        assertThrows(EniException.class, () -> node.lifecycle.apply(new PoolAction.DeleteEni(eni, "test")));
        assertTrue(node.pooledEnis().contains(eni), "still in the pool, as it is still in EC2");
        node.ec2.heal("DescribeNetworkInterfaces");
        node.assertPoolMatchesEc2();
    }
}
