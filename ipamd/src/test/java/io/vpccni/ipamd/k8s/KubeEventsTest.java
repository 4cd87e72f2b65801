package io.vpccni.ipamd.k8s;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vpccni.ipamd.schedule.FakeScheduler;
import io.vpccni.ipamd.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Events through the real Fabric8 client against the mock server, the posting task run by a fake scheduler and
 * the spam filter's time by a manual clock: every pass and every refill happens when the test says.
 */
class KubeEventsTest {
    private final MockApiServer api = new MockApiServer();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final FakeScheduler scheduler = new FakeScheduler(clock);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ApiServerHealth health = new ApiServerHealth("mock", clock);
    private KubernetesClient client;

    @AfterEach
    void stop() {
        scheduler.close();
        if (client != null) {
            client.close();
        }
        api.close();
    }

    private KubeEvents events(KubeSettings settings) {
        client = api.daemonClient();
        return new KubeEvents(client, EventSubject.of(settings).orElseThrow(), "ip-10-0-0-1", health, scheduler,
                clock, registry);
    }

    private static KubeSettings onPod() {
        return new KubeSettings(Optional.empty(), Optional.empty(), false, Optional.of("ip-10-0-0-1"),
                Optional.of("aws-node-x7k2p"), "kube-system");
    }

    private List<Event> posted(String namespace) {
        return api.admin.v1().events().inNamespace(namespace).list().getItems().stream()
                .sorted(Comparator.comparing(e -> e.getMetadata().getName())).toList();
    }

    private double dropped(String cause) {
        return registry.get("awscni_k8s_events_dropped").tag("cause", cause).counter().count();
    }

    @Test
    void theSameEventWithinTenMinutesRaisesTheCountOfOneEvent() {
        var uid = api.admin.pods().inNamespace("kube-system").resource(new PodBuilder().withNewMetadata()
                .withName("aws-node-x7k2p").withNamespace("kube-system").endMetadata().build()).create().getMetadata().getUid();
        var events = events(onPod());

        events.warning("MissingIAMPermissions", "ec2:CreateTags is denied");
        events.warning("MissingIAMPermissions", "ec2:CreateTags is denied");
        scheduler.runDue();
        clock.advance(Duration.ofMinutes(9));
        events.warning("MissingIAMPermissions", "ec2:CreateTags is denied");
        scheduler.runDue();

        var posted = posted("kube-system");
        assertEquals(1, posted.size(), "one Event object: " + posted);
        var event = posted.getFirst();
        assertEquals(3, event.getCount());
        assertEquals("Warning", event.getType());
        assertEquals("MissingIAMPermissions", event.getReason());
        assertEquals("ec2:CreateTags is denied", event.getMessage());
        assertEquals("2026-03-01T10:00:00Z", event.getFirstTimestamp());
        assertEquals("2026-03-01T10:09:00Z", event.getLastTimestamp());
        assertEquals("aws-node", event.getSource().getComponent());
        assertEquals("Pod", event.getInvolvedObject().getKind());
        assertEquals("aws-node-x7k2p", event.getInvolvedObject().getName());
        assertEquals("kube-system", event.getInvolvedObject().getNamespace());
        assertEquals(uid, event.getInvolvedObject().getUid());

        // Another message is another Event; so is the same one after ten quiet minutes.
        events.warning("MissingIAMPermissions", "ec2:DeleteNetworkInterface is denied");
        clock.advance(Duration.ofMinutes(11));
        events.warning("MissingIAMPermissions", "ec2:CreateTags is denied");
        events.normal("EniAdopted", "eni-0abc was found attached");
        scheduler.runDue();
        posted = posted("kube-system");
        assertEquals(4, posted.size(), "" + posted);
        assertEquals(List.of(3, 1, 1, 1), posted.stream().map(Event::getCount).toList());
        assertEquals("Normal", posted.getLast().getType());
    }

    @Test
    void aBurstBeyondTwentyFiveIsDroppedAndCountedUntilTheBucketRefills() {
        var events = events(onPod());
        for (var i = 0; i < 30; i++) {
            events.warning("EniAttachFailed", "attempt " + i);
        }
        assertEquals(5, dropped("rate_limited"));
        // Another reason has a bucket of its own.
        events.warning("SubnetFull", "subnet-1 has no free address");
        scheduler.runDue();
        assertEquals(26, posted("kube-system").size());

        clock.advance(Duration.ofMinutes(4));
        events.warning("EniAttachFailed", "too early");
        assertEquals(6, dropped("rate_limited"));
        clock.advance(Duration.ofMinutes(1));
        events.warning("EniAttachFailed", "one token after five minutes");
        events.warning("EniAttachFailed", "and only one");
        assertEquals(7, dropped("rate_limited"));
        scheduler.runDue();
        assertEquals(27, posted("kube-system").size());
        assertEquals(0, dropped("failed"));
    }

    @Test
    void withoutThePodsNameEventsGoOnTheNode() {
        var uid = api.admin.nodes().resource(new NodeBuilder().withNewMetadata().withName("ip-10-0-0-1").endMetadata()
                .build()).create().getMetadata().getUid();
        var settings = new KubeSettings(Optional.empty(), Optional.empty(), false, Optional.of("ip-10-0-0-1"),
                Optional.empty(), "kube-system");
        var events = events(settings);
        events.warning("EniOwnedByNetworkManager", "eth1 is managed by NetworkManager");
        scheduler.runDue();

        var posted = posted("default");
        assertEquals(1, posted.size());
        var involved = posted.getFirst().getInvolvedObject();
        assertEquals("Node", involved.getKind());
        assertEquals("ip-10-0-0-1", involved.getName());
        assertNull(involved.getNamespace());
        assertEquals(uid, involved.getUid());
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfBlockingTheCaller() {
        var events = events(onPod());
        // Nothing is posted until the task runs: distinct reasons get past the spam filter and fill the queue.
        for (var i = 0; i < KubeEvents.QUEUE_CAPACITY + 3; i++) {
            events.normal("Reason" + i, "message");
        }
        assertEquals(3, dropped("queue_full"));
        scheduler.runDue();
        assertEquals(KubeEvents.QUEUE_CAPACITY, posted("kube-system").size());
    }
}
