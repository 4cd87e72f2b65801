package io.vpccni.ipamd.k8s;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vpccni.ipamd.schedule.FakeScheduler;
import io.vpccni.ipamd.testing.CapturedLogs;
import io.vpccni.ipamd.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.vpccni.ipamd.k8s.PodIpAnnotations.ANNOTATION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pod-ips annotation through the real client, written when the fake scheduler runs the task. */
class PodIpAnnotationsTest {
    private static final RetryDelay RETRY = new RetryDelay(Duration.ofMillis(500), Duration.ofSeconds(30));

    private final MockApiServer api = new MockApiServer();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final FakeScheduler scheduler = new FakeScheduler(clock);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ApiServerHealth health = new ApiServerHealth("mock", clock);
    private final KubernetesClient client = api.daemonClient();
    private final PodIpAnnotations annotations = new PodIpAnnotations(client, health, scheduler, clock, RETRY, registry);

    @AfterEach
    void stop() {
        scheduler.close();
        client.close();
        api.close();
    }

    private void pod(String namespace, String name) {
        api.admin.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName(name)
                .withNamespace(namespace).addToAnnotations("kept", "yes").endMetadata().build()).create();
    }

    private String annotation(String namespace, String name) {
        return api.admin.pods().inNamespace(namespace).withName(name).get().getMetadata().getAnnotations().get(ANNOTATION);
    }

    private long writes() {
        return registry.get("awscni_pod_ip_annotation").timer().count();
    }

    @Test
    void writesTheAnnotationWithoutTouchingOthersAndRecordsTheLatency() {
        pod("default", "web-1");
        annotations.podIps("default", "web-1", List.of("10.0.1.17"));
        assertNull(annotation("default", "web-1"), "nothing is written on the caller's thread");
        clock.advance(Duration.ofMillis(40));
        scheduler.runDue();

        assertEquals("10.0.1.17", annotation("default", "web-1"));
        assertEquals("yes", api.admin.pods().inNamespace("default").withName("web-1").get().getMetadata()
                .getAnnotations().get("kept"));
        assertEquals(1, writes());
        assertEquals(40, registry.get("awscni_pod_ip_annotation").timer().totalTime(TimeUnit.MILLISECONDS));
        assertEquals(0, annotations.waiting());
    }

    @Test
    void repeatedWritesForOnePodAreCoalescedToTheNewest() {
        pod("default", "web-1");
        annotations.podIps("default", "web-1", List.of("10.0.1.17"));
        annotations.podIps("default", "web-1", List.of("10.0.1.18", "2600:1f14::5"));
        scheduler.runDue();
        assertEquals("10.0.1.18,2600:1f14::5", annotation("default", "web-1"));
        assertEquals(1, writes(), "one write for both");

        annotations.podIps("default", "web-1", List.of());
        scheduler.runDue();
        // A null in a merge patch deletes the key on a real API server; the mock keeps it with the value null.
        assertNull(annotation("default", "web-1"), "no addresses: the annotation is removed");
    }

    @Test
    void aFailingServerIsRetriedWithBackoffUntilTheWriteGoesThrough() {
        pod("default", "web-1");
        api.server.expect().patch().withPath("/api/v1/namespaces/default/pods/web-1")
                .andReturn(500, "{\"kind\":\"Status\",\"code\":500,\"message\":\"etcd leader changed\"}").times(2);
        annotations.podIps("default", "web-1", List.of("10.0.1.17"));
        scheduler.runDue();
        assertNull(annotation("default", "web-1"));
        assertFalse(health.reachable());
        assertTrue(health.problem().contains("annotating pod default/web-1"), health.problem());
        assertTrue(scheduler.dueIn("k8s-pod-ip-annotations").isPresent(), "a retry is scheduled");

        var firstWait = scheduler.dueIn("k8s-pod-ip-annotations").orElseThrow();
        scheduler.advance(firstWait);  // the second 500
        assertNull(annotation("default", "web-1"));
        var secondWait = scheduler.dueIn("k8s-pod-ip-annotations").orElseThrow();
        assertTrue(secondWait.compareTo(firstWait) > 0, "backing off: " + firstWait + " then " + secondWait);
        scheduler.advance(secondWait);
        assertEquals("10.0.1.17", annotation("default", "web-1"));
        assertTrue(health.reachable(), health.problem());
        assertEquals(0, annotations.waiting());
    }

    @Test
    void aPodThatIsGoneIsDroppedWithALogLine() {
        pod("default", "web-2");
        try (var logs = new CapturedLogs(PodIpAnnotations.class)) {
            annotations.podIps("default", "deleted-pod", List.of("10.0.1.9"));
            annotations.podIps("default", "web-2", List.of("10.0.1.10"));
            scheduler.runDue();
            assertEquals(1, logs.count("pod default/deleted-pod is gone"), "" + logs.messages());
        }
        assertEquals("10.0.1.10", annotation("default", "web-2"), "the other pod is written all the same");
        assertEquals(0, annotations.waiting());
        assertTrue(scheduler.dueIn("k8s-pod-ip-annotations").isEmpty(), "nothing to retry");
    }

    @Test
    void aPodCreatedAfterTheFirstAttemptIsWrittenThen() {
        api.server.expect().patch().withPath("/api/v1/namespaces/default/pods/late")
                .andReturn(503, "{\"kind\":\"Status\",\"code\":503,\"message\":\"unavailable\"}").once();
        annotations.podIps("default", "late", List.of("10.0.1.11"));
        scheduler.runDue();
        pod("default", "late");
        scheduler.advance(RETRY.longest());
        assertEquals("10.0.1.11", annotation("default", "late"));
    }
}
