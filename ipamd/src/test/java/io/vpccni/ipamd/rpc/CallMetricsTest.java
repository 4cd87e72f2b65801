package io.vpccni.ipamd.rpc;

import io.vpccni.ipamd.observe.MetricsServer;
import io.vpccni.ipamd.pool.PoolException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CallMetricsTest {
    @Test
    void requestsReasonsAndExhaustionAreCountedWithBoundedLabels() {
        var registry = MetricsServer.newRegistry();
        var metrics = new CallMetrics(registry);
        metrics.received("ADD", "");
        metrics.received("DEL", "PodDeleted");
        metrics.received("DEL", "made-up-" + System.nanoTime());
        metrics.answered("ADD", "UNAVAILABLE", new PoolException(PoolException.Reason.EXHAUSTED, "no address"), 1_000_000);
        metrics.answered("ADD", "ok", null, 2_000_000);

        assertEquals(1.0, registry.get("awscni_add_ip_req_count").counter().count());
        assertEquals(1.0, registry.get("awscni_del_ip_req_count").tag("reason", "PodDeleted").counter().count());
        assertEquals(1.0, registry.get("awscni_del_ip_req_count").tag("reason", "other").counter().count());
        assertEquals(1.0, registry.get("awscni_no_available_ip_addresses").counter().count());
        assertEquals(1, registry.get("awscni_cni_request").tags("verb", "ADD", "outcome", "ok").timer().count());
    }
}
