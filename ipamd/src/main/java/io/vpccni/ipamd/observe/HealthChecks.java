package io.vpccni.ipamd.observe;

import io.vpccni.ipamd.pool.PoolStatus;

import java.util.Map;
import java.util.function.Supplier;

/**
 * kubelet's probes, answered from the running JVM so that a probe costs an HTTP request, not a process start:
 * {@code /healthz} (liveness) answers while the daemon serves at all, and {@code /readyz} (readiness) only once
 * the pool is open, with the reason it is not otherwise. Liveness never depends on the pool: a daemon waiting for
 * the API server or EC2 is doing its job, and restarting it would only lose its progress.
 */
public final class HealthChecks {
    public static final String LIVENESS = "/healthz";
    public static final String READINESS = "/readyz";

    private HealthChecks() {
    }

    public static Map<String, Endpoint> routes(Supplier<PoolStatus> pool) {
        return Map.of(
                LIVENESS, () -> Endpoint.Response.text("text/plain; charset=utf-8", "ok\n"),
                READINESS, () -> {
                    var status = pool.get();
                    return status.ready()
                            ? Endpoint.Response.text("text/plain; charset=utf-8", "ok: the IP pool is open, "
                                    + status.availableAddresses() + " addresses available\n")
                            : Endpoint.Response.unavailable("the IP pool is not open: " + status.reason());
                });
    }
}
