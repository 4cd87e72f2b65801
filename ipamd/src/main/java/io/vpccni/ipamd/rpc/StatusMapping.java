package io.vpccni.ipamd.rpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vpccni.ipamd.pod.CallerGoneException;
import io.vpccni.ipamd.pod.WiringException;
import io.vpccni.ipamd.pool.PoolException;

/**
 * The one place where domain failures become gRPC statuses; the table, with the CNI code the plugin makes of
 * each, is {@code proto/README.md}.
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
            case CallerGoneException g ->
                    Status.DEADLINE_EXCEEDED.withDescription(verb + " " + subject + ": stopped: " + g.getMessage()).asRuntimeException();
            case WiringException w ->
                    Status.INTERNAL.withDescription(verb + " " + subject + ": " + w.getMessage()).withCause(w).asRuntimeException();
            case IllegalArgumentException i ->
                    Status.INVALID_ARGUMENT.withDescription(verb + " " + subject + ": " + i.getMessage()).asRuntimeException();
            default -> Status.INTERNAL.withDescription(verb + " " + subject + ": unexpected " + e).withCause(e).asRuntimeException();
        };
    }
}
