package io.vpccni.ipamd.k8s;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vpccni.ipamd.schedule.Next;
import io.vpccni.ipamd.schedule.Scheduler;
import io.vpccni.ipamd.schedule.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Posts core/v1 Events on the aws-node pod (on the Node when the pod's name is unknown). Each event is logged at
 * once; posting is left to one background task, so a caller in an ADD or a reconcile never waits for the API
 * server. Two limits keep a failing loop from flooding the server: {@link EventSpamFilter} per (object, reason),
 * and a bounded queue; what either drops is counted in {@code awscni_k8s_events_dropped_total{cause}}. The same
 * event again within {@link #AGGREGATION_WINDOW} raises the existing Event's count, as kubectl shows "x12 over 8m".
 */
final class KubeEvents implements ClusterEvents, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KubeEvents.class);
    static final Duration AGGREGATION_WINDOW = Duration.ofMinutes(10);
    static final int QUEUE_CAPACITY = 256;
    private static final int AGGREGATES_KEPT = 1024;
    static final String COMPONENT = "aws-node";

    private final KubernetesClient client;
    private final EventSubject subject;
    private final String nodeName;
    private final ApiServerHealth health;
    private final Clock clock;
    private final EventSpamFilter spamFilter;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Counter rateLimited;
    private final Counter queueFull;
    private final Counter failed;
    private final Task task;
    /** What was posted, by (type, reason, message): touched only by the task, which never runs beside itself. */
    private final Map<String, Posted> posted = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Posted> eldest) {
            return size() > AGGREGATES_KEPT;
        }
    };
    private String uid;
    private long lastNameNanos;

    KubeEvents(KubernetesClient client, EventSubject subject, String nodeName, ApiServerHealth health,
               Scheduler scheduler, Clock clock, MeterRegistry registry) {
        this.client = client;
        this.subject = subject;
        this.nodeName = nodeName;
        this.health = health;
        this.clock = clock;
        this.spamFilter = new EventSpamFilter(clock);
        this.rateLimited = dropped(registry, "rate_limited");
        this.queueFull = dropped(registry, "queue_full");
        this.failed = dropped(registry, "failed");
        this.task = scheduler.loop("k8s-events", Duration.ZERO, this::postQueued);
    }

    private static Counter dropped(MeterRegistry registry, String cause) {
        return Counter.builder("awscni_k8s_events_dropped")
                .description("Kubernetes Events logged but not posted: rate_limited (spam filter), queue_full, failed (API server)")
                .tag("cause", cause).register(registry);
    }

    @Override
    public void warning(String reason, String message) {
        log.warn("event Warning {} on {}: {}", reason, subject, message);
        enqueue(new Pending("Warning", reason, message, clock.instant()));
    }

    @Override
    public void normal(String reason, String message) {
        log.info("event Normal {} on {}: {}", reason, subject, message);
        enqueue(new Pending("Normal", reason, message, clock.instant()));
    }

    private void enqueue(Pending event) {
        if (!spamFilter.allow(subject.toString(), event.reason)) {
            rateLimited.increment();
            log.debug("event {} on {} not posted: more than {} in a burst (one more allowed every {})", event.reason,
                    subject, EventSpamFilter.BURST, EventSpamFilter.REFILL);
            return;
        }
        if (!queue.offer(event)) {
            queueFull.increment();
            log.debug("event {} on {} not posted: {} events already wait for the API server", event.reason, subject,
                    QUEUE_CAPACITY);
            return;
        }
        task.wake();
    }

    /** One pass: posts what waits. An event the server does not take is dropped, not retried: it was logged. */
    private Next postQueued() {
        Pending event;
        while ((event = queue.poll()) != null) {
            try {
                post(event);
                health.answered("posting an Event on " + subject);
            } catch (RuntimeException e) {
                failed.increment();
                var noAnswer = health.failed("posting an Event on " + subject, e);
                log.debug("event {} on {} not posted: {}", event.reason, subject, ApiServerHealth.describe(e));
                if (noAnswer) {
                    // Let the server recover before the next one; what waits stays queued (and bounded).
                    return Next.notBefore(Duration.ofSeconds(5));
                }
            }
        }
        return Next.whenWoken();
    }

    private void post(Pending event) {
        var key = event.type + "\u0000" + event.reason + "\u0000" + event.message;
        var previous = posted.get(key);
        var events = client.v1().events().inNamespace(subject.eventNamespace());
        if (previous != null && Duration.between(previous.lastAt, event.at).compareTo(AGGREGATION_WINDOW) < 0) {
            var count = previous.count + 1;
            var patch = "{\"count\":" + count + ",\"lastTimestamp\":\"" + timestamp(event.at) + "\"}";
            try {
                // On a stub, not withName(): Fabric8 would GET the Event first, doubling the requests.
                var stub = new EventBuilder().withNewMetadata().withName(previous.name)
                        .withNamespace(subject.eventNamespace()).endMetadata().build();
                events.resource(stub).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
                posted.put(key, new Posted(previous.name, count, event.at));
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
                // The Event expired (the API server keeps them an hour by default): start a new one.
            }
        }
        var created = events.resource(newEvent(event)).create();
        posted.put(key, new Posted(created.getMetadata().getName(), 1, event.at));
    }

    private Event newEvent(Pending event) {
        var at = timestamp(event.at);
        return new EventBuilder()
                .withNewMetadata().withName(eventName(event.at)).withNamespace(subject.eventNamespace()).endMetadata()
                .withInvolvedObject(involvedObject())
                .withType(event.type).withReason(event.reason).withMessage(event.message)
                .withFirstTimestamp(at).withLastTimestamp(at).withCount(1)
                .withNewSource().withComponent(COMPONENT).withHost(nodeName).endSource()
                .withReportingComponent(COMPONENT).withReportingInstance(nodeName)
                .build();
    }

    private ObjectReference involvedObject() {
        if (uid == null) {
            // Once answered: the pod's uid does not change while this process runs. Null (no answer) asks again.
            uid = subject.lookUpUid(client);
        }
        return subject.reference(uid);
    }

    /** Unique per object, as client-go names them: {@code <object>.<hex nanoseconds>}. */
    private String eventName(Instant at) {
        var nanos = Math.max(at.getEpochSecond() * 1_000_000_000L + at.getNano(), lastNameNanos + 1);
        lastNameNanos = nanos;
        return subject.name() + "." + Long.toHexString(nanos);
    }

    private static String timestamp(Instant at) {
        return at.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    @Override
    public void close() {
        task.cancel();
    }

    private record Pending(String type, String reason, String message, Instant at) {
    }

    private record Posted(String name, int count, Instant lastAt) {
    }
}
