package io.vpccni.ipamd.k8s;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.ConnectException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Whether the API server answers, judged from what the daemon already does with it rather than from a probe of its
 * own: every watch must be established, and the newest request must have had an answer. A 4xx is an answer (the
 * server is there; RBAC or the object is the problem, and the caller says so); only I/O failures, timeouts and 5xx
 * make the server unreachable. A failure sticks until the next answer, which {@link #onFailure} asks a probe for,
 * so a daemon that makes no request for an hour does not report an hour-old outage as current.
 */
final class ApiServerHealth implements Cluster.ApiServer {
    private static final Logger log = LoggerFactory.getLogger(ApiServerHealth.class);

    /** Fabric8's message for "the request failed below HTTP": the cause says what happened. */
    private static final String GENERIC = "An error has occurred.";

    private final String server;
    private final Clock clock;
    private final Map<String, Watch> watches = new ConcurrentHashMap<>();
    private volatile Outcome last;
    private volatile Runnable onFailure = () -> { };

    /** @param server the API server's URL, in every problem (the first thing an operator checks) */
    ApiServerHealth(String server, Clock clock) {
        this.server = server;
        this.clock = clock;
    }

    /** What runs after a request failed, so that an answer clears the failure (the probe's wake). */
    void onFailure(Runnable wakeProbe) {
        this.onFailure = wakeProbe;
    }

    /**
     * Registers an informer's watch; the returned handler keeps it retrying whatever fails (a node without its
     * watches must recover by itself when the API server is back) and remembers why it failed.
     */
    ExceptionHandler watching(String what, SharedIndexInformer<?> informer) {
        var watch = new Watch(what, informer);
        watches.put(what, watch);
        return (started, failure) -> {
            var reason = describe(failure);
            if (!reason.equals(watch.problem)) {
                log.warn("the watch on {} failed, retrying in the background: {}", what, reason);
            }
            watch.problem = reason;
            watch.problemAt = clock.instant();
            return true;
        };
    }

    /** The API server answered a request (any status code that is not a 5xx). */
    void answered(String request) {
        last = new Outcome(request, null, clock.instant());
    }

    /** Records a failed request, when the failure means the server did not answer; returns whether it did. */
    boolean failed(String request, Throwable failure) {
        if (!unreachable(failure)) {
            answered(request);
            return false;
        }
        last = new Outcome(request, describe(failure), clock.instant().truncatedTo(ChronoUnit.MILLIS));
        onFailure.run();
        return true;
    }

    @Override
    public boolean reachable() {
        return problemOrNull() == null;
    }

    @Override
    public String problem() {
        var problem = problemOrNull();
        return problem == null ? "" : problem;
    }

    private String problemOrNull() {
        var outcome = last;
        Watch down = null;
        for (var watch : watches.values()) {
            if (watch.informer.isWatching()) {
                watch.problem = null;  // it recovered since: an old failure explains nothing now
            } else if (down == null) {
                down = watch;
            }
        }
        if (down != null) {
            // A lost watch reconnects inside Fabric8 without saying why it cannot: the probe finds out, for the
            // next look at the state (STATUS polls it).
            onFailure.run();
            var state = down.informer.hasSynced() ? "was lost and is reconnecting" : "is not established yet";
            var why = down.problem;
            var whyAt = down.problemAt;
            if (outcome != null && outcome.problem != null && (why == null || outcome.at.isAfter(whyAt))) {
                why = outcome.request + " failed at " + outcome.at + ": " + outcome.problem;
            }
            return "the watch on " + down.what + " " + state + (why == null ? "" : "; " + why) + " (API server " + server + ")";
        }
        if (outcome == null) {
            return watches.isEmpty() ? "no request has reached the API server " + server + " yet" : null;
        }
        return outcome.problem == null ? null
                : outcome.request + " failed at " + outcome.at + ": " + outcome.problem + " (API server " + server + ")";
    }

    /** Whether {@code failure} means no answer: an I/O failure, a timeout or a 5xx (the server is there but broken). */
    static boolean unreachable(Throwable failure) {
        var code = statusCode(failure);
        return code == 0 || code >= 500;
    }

    /** The HTTP status in {@code failure}; 0 when there was no answer. */
    static int statusCode(Throwable failure) {
        for (var cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof KubernetesClientException k && k.getCode() > 0) {
                return k.getCode();
            }
        }
        return 0;
    }

    /**
     * The causes' messages, outermost first, without wrappers or repeats: Fabric8 wraps a refused connection three
     * deep, and the JDK's ConnectException carries no message of its own.
     */
    static String describe(Throwable failure) {
        var parts = new LinkedHashSet<String>();
        for (var cause = failure; cause != null && parts.size() < 4; cause = cause.getCause()) {
            var message = cause.getMessage();
            var name = cause.getClass().getSimpleName();
            var wrapper = cause instanceof CompletionException || cause instanceof ExecutionException
                    || GENERIC.equals(message);
            var saysNothing = message == null || message.isBlank() || repeatsACause(cause, message);
            if (cause instanceof ConnectException && saysNothing) {
                parts.add(name + " (connection refused or no route)");
            } else if (cause.getCause() != null && (wrapper || saysNothing)) {
                continue;  // the cause says it
            } else if (saysNothing) {
                parts.add(name);
            } else {
                parts.add(name + " " + message.strip());
            }
        }
        return String.join(": ", parts);
    }

    /** Whether {@code message} is only a deeper cause's own text (the JDK's wrappers copy {@code toString()}). */
    private static boolean repeatsACause(Throwable failure, String message) {
        for (var cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            if (message.equals(cause.toString())) {
                return true;
            }
        }
        return false;
    }

    private static final class Watch {
        final String what;
        final SharedIndexInformer<?> informer;
        volatile String problem;
        volatile Instant problemAt;

        Watch(String what, SharedIndexInformer<?> informer) {
            this.what = what;
            this.informer = informer;
        }
    }

    private record Outcome(String request, String problem, Instant at) {
    }
}
