package io.vpccni.ipamd.k8s;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vpccni.ipamd.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiServerHealthTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final ApiServerHealth health = new ApiServerHealth("https://10.100.0.1:443/", clock);

    private static KubernetesClientException refused() {
        var connect = new ConnectException();
        connect.initCause(new ClosedChannelException());
        return new KubernetesClientException("An error has occurred.", new IOException(connect.toString(),
                new CompletionException(connect)));
    }

    @Test
    void anAnswerOfAnyKindButA5xxMeansReachable() {
        assertFalse(health.reachable(), "nothing known yet");
        assertTrue(health.problem().contains("no request has reached the API server https://10.100.0.1:443/"));

        assertFalse(health.failed("annotating pod a/b", new KubernetesClientException("forbidden", 403, null)));
        assertTrue(health.reachable(), "a 403 is an answer: " + health.problem());

        assertTrue(health.failed("annotating pod a/b", new KubernetesClientException("etcd timeout", 504, null)));
        assertFalse(health.reachable());
        health.answered("GET /version");
        assertTrue(health.reachable());
    }

    @Test
    void aFailureSaysWhatFailedWhenAndWhyAndWakesTheProbe() {
        var probes = new AtomicInteger();
        health.onFailure(probes::incrementAndGet);
        health.failed("writing CNINode ip-10-0-0-1", refused());
        assertEquals(1, probes.get());
        assertEquals("writing CNINode ip-10-0-0-1 failed at 2026-03-01T10:00:00Z: ConnectException (connection refused "
                + "or no route): ClosedChannelException (API server https://10.100.0.1:443/)", health.problem());
    }
}
