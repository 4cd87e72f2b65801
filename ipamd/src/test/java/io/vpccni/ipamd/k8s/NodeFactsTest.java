package io.vpccni.ipamd.k8s;

import io.fabric8.kubernetes.api.model.TaintBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.OptionalInt;

import static io.vpccni.ipamd.k8s.NodeWatchTest.node;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the daemon reads of a Node object, without a server. */
class NodeFactsTest {
    @ParameterizedTest(name = "capacity.pods {0} -> {1}")
    @CsvSource(nullValues = "none", value = {"110, 110", "29, 29", "1k, 1000", "none, none", "-3, none", "2.5, none",
            "lots, none", "99999999999, none"})
    void capacityPodsIsACountOrNothing(String quantity, Integer expected) {
        var facts = NodeWatch.facts(node("ip-10-0-0-1", quantity));
        assertEquals(expected == null ? OptionalInt.empty() : OptionalInt.of(expected), facts.capacityPods());
    }

    @Test
    void theUnschedulableTaintCountsWithAnyEffect() {
        for (var effect : new String[] {"NoSchedule", "NoExecute", "PreferNoSchedule"}) {
            var node = node("n", "110");
            node.getSpec().setTaints(List.of(new TaintBuilder().withKey(NodeWatch.UNSCHEDULABLE_TAINT)
                    .withEffect(effect).build()));
            assertTrue(NodeWatch.facts(node).unschedulableTaint(), effect);
        }
        var other = node("n", "110");
        other.getSpec().setTaints(List.of(new TaintBuilder().withKey("node.kubernetes.io/not-ready")
                .withEffect("NoSchedule").build()));
        assertFalse(NodeWatch.facts(other).unschedulableTaint());
    }

}
