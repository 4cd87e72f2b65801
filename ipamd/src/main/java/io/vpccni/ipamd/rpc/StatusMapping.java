package io.vpccni.ipamd.rpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vpccni.ipamd.pod.WiringException;
import io.vpccni.ipamd.pool.PoolException;

/**
 * The one place where domain failures become gRPC statuses. The plugin maps these codes to CNI codes:
 * UNAVAILABLE and RESOURCE_EXHAUSTED → 11 (try again later), INVALID_ARGUMENT → 7, FAILED_PRECONDITION → 1,
 * everything else → 999.
 */
final class StatusMapping {
    private StatusMapping() {
    }

    static StatusRuntimeException toStatus(String verb, Object subject, RuntimeException e) {
        return switch (e) {
            case StatusRuntimeException s -> s;
            case PoolException p when p.reason() == PoolException.Reason.EXHAUSTED ->
                    Status.RESOURCE_EXHAUSTED.withDescription(verb + " " + subject + ": " + p.getMessage()).asRuntimeException();
            case PoolException p -> // NOT_READY and NOT_DURABLE: nothing changed; the runtime retries
                    Status.UNAVAILABLE.withDescription(verb + " " + subject + ": " + p.getMessage()).asRuntimeException();
            case WiringException w ->
                    Status.INTERNAL.withDescription(verb + " " + subject + ": " + w.getMessage()).withCause(w).asRuntimeException();
            case IllegalArgumentException i ->
                    Status.INVALID_ARGUMENT.withDescription(verb + " " + subject + ": " + i.getMessage()).asRuntimeException();
            default -> Status.INTERNAL.withDescription(verb + " " + subject + ": unexpected " + e).withCause(e).asRuntimeException();
        };
    }
}
