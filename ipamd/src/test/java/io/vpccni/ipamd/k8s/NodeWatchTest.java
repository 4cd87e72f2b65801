package io.vpccni.ipamd.k8s;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vpccni.ipamd.schedule.FakeScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;

import static io.vpccni.ipamd.k8s.MockApiServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class NodeWatchTest {
    private final MockApiServer api = new MockApiServer();
    private final FakeScheduler scheduler = new FakeScheduler();
    private Cluster cluster;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        api.close();
    }

    static Node node(String name, String pods) {
        var builder = new NodeBuilder().withNewMetadata().withName(name).addToLabels("k8s.amazonaws.com/eniConfig", "az-a")
                .addToAnnotations("note", "x").endMetadata().withNewSpec().endSpec().withNewStatus().endStatus();
        if (pods != null) {
            builder.editStatus().addToCapacity("pods", new Quantity(pods)).endStatus();
        }
        return builder.build();
    }

    @Test
    void watchesItsOwnNodeOnlyAndSeesTaintsComeAndGo() {
        api.admin.nodes().resource(node("ip-10-0-0-1", "110")).create();
        api.admin.nodes().resource(node("ip-10-0-0-2", "17")).create();
        var settings = new KubeSettings(Optional.empty(), Optional.empty(), false, Optional.of("ip-10-0-0-1"),
                Optional.empty(), "kube-system");
        cluster = KubeCluster.connect(api.config(), settings, KubeCluster.Features.of(false), new SimpleMeterRegistry(),
                scheduler, Clock.systemUTC());
        var changes = new AtomicInteger();
        cluster.node().onChange(changes::incrementAndGet);

        await(() -> cluster.node().current().isPresent(), () -> "no Node yet");
        var facts = cluster.node().current().orElseThrow();
        assertEquals("ip-10-0-0-1", facts.name());
        assertEquals(OptionalInt.of(110), facts.capacityPods());
        assertFalse(facts.unschedulableTaint());
        assertEquals(Map.of("k8s.amazonaws.com/eniConfig", "az-a"), facts.labels());
        assertEquals(Map.of("note", "x"), facts.annotations());

        api.admin.nodes().withName("ip-10-0-0-1").edit(n -> new NodeBuilder(n).editSpec().addNewTaint()
                .withKey(NodeWatch.UNSCHEDULABLE_TAINT).withEffect("NoSchedule").endTaint().endSpec().build());
        await(() -> cluster.node().current().orElseThrow().unschedulableTaint(), () -> "" + cluster.node().current());

        // Another node's change is not this node's: the field selector keeps it out of the watch.
        api.admin.nodes().withName("ip-10-0-0-2").edit(n -> new NodeBuilder(n).editMetadata().addToLabels("x", "y")
                .endMetadata().build());
        api.admin.nodes().withName("ip-10-0-0-1").edit(n -> new NodeBuilder(n).editSpec().withTaints().endSpec().build());
        await(() -> !cluster.node().current().orElseThrow().unschedulableTaint(), () -> "" + cluster.node().current());
        assertEquals("ip-10-0-0-1", cluster.node().current().orElseThrow().name());
        await(() -> changes.get() >= 3, () -> changes + " changes");
        assertEquals(3, changes.get(), "added, tainted, untainted");
    }
}
