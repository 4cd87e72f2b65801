package io.vpccni.ipamd.k8s;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vpccni.ipamd.schedule.Next;
import io.vpccni.ipamd.schedule.Scheduler;
import io.vpccni.ipamd.schedule.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * ANNOTATE_POD_IP: writes {@code vpc.amazonaws.com/pod-ips} on each pod after its ADD, for controllers that need
 * the address before kubelet reports it in the pod's status. The ADD only records what to write; one background
 * task writes it with a JSON merge patch (which touches this one annotation and needs no resourceVersion). A pod
 * written again before its first write went out gets only the newest value. While the API server fails, the task
 * backs off and keeps what waits; a pod that is gone (404) is dropped with a log line.
 */
final class PodIpAnnotations implements PodAnnotator, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PodIpAnnotations.class);
    static final String ANNOTATION = "vpc.amazonaws.com/pod-ips";

    private final KubernetesClient client;
    private final ApiServerHealth health;
    private final Clock clock;
    private final RetryDelay retryDelay;
    private final Map<Pod, Pending> pending = new ConcurrentHashMap<>();
    private final Timer latency;
    private final Task task;
    private int failuresInRow;

    PodIpAnnotations(KubernetesClient client, ApiServerHealth health, Scheduler scheduler, Clock clock,
                     RetryDelay retryDelay, MeterRegistry registry) {
        this.client = client;
        this.health = health;
        this.clock = clock;
        this.retryDelay = retryDelay;
        this.latency = Timer.builder("awscni_pod_ip_annotation")
                .description("from an ADD asking for the pod-ips annotation to the API server accepting it")
                .register(registry);
        this.task = scheduler.loop("k8s-pod-ip-annotations", Duration.ZERO, this::writePending);
    }

    /**
     * Queues the annotation; {@code ips} comma-separated is its value (upstream writes the one IPv4 address; a
     * dual-stack or multi-NIC pod gets all of them). No addresses removes the annotation.
     */
    @Override
    public void podIps(String namespace, String name, List<String> ips) {
        var value = String.join(",", ips);
        var now = clock.instant();
        // Keep the first queue time of a coalesced write: the latency is how long the pod went without it.
        pending.merge(new Pod(namespace, name), new Pending(value, now),
                (old, fresh) -> new Pending(fresh.value, old.queuedAt));
        task.wake();
    }

    /** Number of pods whose annotation waits to be written. */
    int waiting() {
        return pending.size();
    }

    private Next writePending() {
        for (var entry : Map.copyOf(pending).entrySet()) {
            var pod = entry.getKey();
            var write = entry.getValue();
            try {
                patch(pod, write.value);
                health.answered("annotating pod " + pod);
                latency.record(Duration.between(write.queuedAt, clock.instant()));
                log.debug("pod {}: {}={}", pod, ANNOTATION, write.value);
                pending.remove(pod, write);  // unless a newer value came meanwhile: that one goes on the next pass
            } catch (RuntimeException e) {
                var code = ApiServerHealth.statusCode(e);
                if (code == 404) {
                    log.info("pod {} is gone; its {} annotation ({}) is not written", pod, ANNOTATION, write.value);
                    pending.remove(pod, write);
                    health.answered("annotating pod " + pod);
                } else if (health.failed("annotating pod " + pod, e) || code == 429 || code == 409) {
                    failuresInRow++;
                    var delay = retryDelay.after(failuresInRow);
                    log.warn("pod {}: {} not written yet ({} waiting), retrying in {} ms: {}", pod, ANNOTATION,
                            pending.size(), delay.toMillis(), ApiServerHealth.describe(e));
                    return Next.notBefore(delay);
                } else {
                    // 403 or 422: trying again cannot help. The daemon's ClusterRole must grant pods patch.
                    log.warn("pod {}: {} ({}) refused by the API server, not retried: {}", pod, ANNOTATION,
                            write.value, ApiServerHealth.describe(e));
                    pending.remove(pod, write);
                }
            }
        }
        failuresInRow = 0;
        // A value queued during this pass woke the task, which then runs once more: nothing is left behind.
        return Next.whenWoken();
    }

    private void patch(Pod pod, String value) {
        var annotations = new HashMap<String, Object>();
        annotations.put(ANNOTATION, value.isEmpty() ? null : value);  // null deletes the key in a merge patch
        var body = Serialization.asJson(Map.of("metadata", Map.of("annotations", annotations)));
        // On a stub, not withName(): Fabric8 would GET the pod first to patch "it", doubling the requests.
        var stub = new PodBuilder().withNewMetadata().withName(pod.name).withNamespace(pod.namespace).endMetadata().build();
        client.pods().inNamespace(pod.namespace).resource(stub).patch(PatchContext.of(PatchType.JSON_MERGE), body);
    }

    @Override
    public void close() {
        task.cancel();
        if (!pending.isEmpty()) {
            log.info("{} pod annotations were not written before the daemon stopped: {}", pending.size(), pending.keySet());
        }
    }

    private record Pod(String namespace, String name) {
        @Override
        public String toString() {
            return namespace + "/" + name;
        }
    }

    private record Pending(String value, Instant queuedAt) {
    }
}
