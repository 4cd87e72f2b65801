package io.vpccni.ipamd.observe;

import io.vpccni.ipamd.pool.PoolStatus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HealthChecksTest {
    @Test
    void readyOnlyOnceThePoolIsOpenWhileLivenessNeverWaitsForIt() {
        var pool = new AtomicReference<>(PoolStatus.notReady("waiting for IMDS"));
        var routes = HealthChecks.routes(pool::get);
        var closed = routes.get(HealthChecks.READINESS).get();
        assertEquals(503, closed.status());
        assertTrue(new String(closed.body(), StandardCharsets.UTF_8).contains("waiting for IMDS"), "says why");
        assertEquals(200, routes.get(HealthChecks.LIVENESS).get().status(), "a daemon waiting for the cloud is alive");

        pool.set(new PoolStatus(true, "", 14, 0));
        var open = routes.get(HealthChecks.READINESS).get();
        assertEquals(200, open.status());
        assertTrue(new String(open.body(), StandardCharsets.UTF_8).contains("14 addresses"));
    }
}
