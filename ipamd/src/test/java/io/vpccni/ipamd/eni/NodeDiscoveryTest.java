package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.cloud.EniTags;
import io.vpccni.ipamd.cloud.InterfaceType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** At start, only plain interfaces on network card 0 join the pool; the others are recorded, with why, and left alone. */
class NodeDiscoveryTest {
    @Test
    void trunkEfaTaggedAndOtherCardEnisAreLeftAloneAndRecorded() throws Exception {
        var node = new Node(8, false);
        node.ec2.assignPrivateIps(node.ec2.primaryEniId(), 2);
        var trunk = node.ec2.attachNew(InterfaceType.TRUNK, 1, 0, Map.of(), "trunk");
        var efa = node.ec2.attachNew(InterfaceType.EFA, 2, 0, Map.of(), "efa");
        var efaOnly = node.ec2.attachNew(InterfaceType.EFA_ONLY, 0, 1, Map.of(), "efa-only");
        var card1 = node.ec2.attachNew(InterfaceType.INTERFACE, 1, 1, Map.of(), "on card 1");
        var tagged = node.ec2.attachNew(InterfaceType.INTERFACE, 3, 0, Map.of(EniTags.NO_MANAGE, "true"), "operator's");
        var plain = node.ec2.attachNew(InterfaceType.INTERFACE, 4, 0, Map.of(), "plain");
        node.ec2.assignPrivateIps(trunk, 2);
        node.ec2.assignPrivateIps(plain, 3);

        node.start();

        assertEquals(Set.of(node.primary(), plain), node.pooledEnis());
        assertEquals(3, node.pooledCidrs(plain).size());
        var outside = node.datastore.unpooledEnis();
        assertEquals(List.of(trunk, efa, efaOnly, card1, tagged), outside.stream().map(u -> u.eniId()).toList());
        assertTrue(outside.get(0).reason().contains("trunk"), outside.get(0).reason());
        assertTrue(outside.get(1).reason().contains("EFA"), outside.get(1).reason());
        assertTrue(outside.get(2).reason().contains("network card 1"), outside.get(2).reason());
        assertTrue(outside.get(3).reason().contains("network card 1"), outside.get(3).reason());
        assertTrue(outside.get(4).reason().contains("no_manage"), outside.get(4).reason());
        assertEquals(5, node.discovered.unmanaged());
        var foundTrunk = node.discovered.enis().stream().filter(e -> e.info().eniId().equals(trunk)).findFirst().orElseThrow();
        assertTrue(foundTrunk.info().trunk() && !foundTrunk.managed());
    }

    @Test
    void withManageUntaggedEniOffOnlyTheNodesOwnEnisAndThePrimaryJoinThePool() throws Exception {
        var node = new Node(8, false);
        var ours = node.ec2.attachNew(InterfaceType.INTERFACE, 1, 0, Map.of(EniTags.INSTANCE_ID, "i-0123"), "created by the daemon");
        var foreign = node.ec2.attachNew(InterfaceType.INTERFACE, 2, 0, Map.of(), "another tool's");
        var another = node.ec2.attachNew(InterfaceType.INTERFACE, 3, 0, Map.of(EniTags.INSTANCE_ID, "i-other"), "moved here");
        var kept = node.ec2.attachNew(InterfaceType.INTERFACE, 4, 0, Map.of(EniTags.NO_MANAGE, "false"), "explicitly managed");

        node.start(Map.of("MANAGE_UNTAGGED_ENI", "false"));

        assertEquals(Set.of(node.primary(), ours, kept), node.pooledEnis());
        var outside = node.datastore.unpooledEnis();
        assertEquals(List.of(foreign, another), outside.stream().map(u -> u.eniId()).toList());
        assertTrue(outside.get(0).reason().endsWith("no node.k8s.amazonaws.com/instance_id=i-0123 tag) and MANAGE_UNTAGGED_ENI=false"),
                outside.get(0).reason());
    }

    @Test
    void byDefaultUntaggedEnisAreManagedAsUpstream() throws Exception {
        var node = new Node(8, false);
        var foreign = node.ec2.attachNew(InterfaceType.INTERFACE, 2, 0, Map.of(), "another tool's");
        node.start();
        assertEquals(Set.of(node.primary(), foreign), node.pooledEnis());
    }
}
