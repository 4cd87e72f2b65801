package io.vpccni.ipamd.rpc;

import io.grpc.stub.StreamObserver;
import io.vpccni.ipamd.pod.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.util.function.Supplier;

/** Runs one unary RPC: the log context, one outcome line with its duration, and the status mapping. */
final class Calls {
    private static final Logger log = LoggerFactory.getLogger(Calls.class);

    private Calls() {
    }

    /** The runtime behind the current RPC: gone when gRPC cancels the call (deadline passed, plugin hung up). */
    static Caller caller() {
        var context = io.grpc.Context.current();
        return new Caller() {
            @Override
            public String gone() {
                if (!context.isCancelled()) {
                    return null;
                }
                var deadline = context.getDeadline();
                return deadline != null && deadline.isExpired() ? "the caller's deadline passed" : "the caller cancelled the call";
            }

            @Override
            public long remainingNanos() {
                var deadline = context.getDeadline();
                return deadline == null ? Long.MAX_VALUE : Math.max(0, deadline.timeRemaining(java.util.concurrent.TimeUnit.NANOSECONDS));
            }
        };
    }

    static <T> void serve(CallMetrics metrics, String verb, String containerId, String pod, String ifName,
                          StreamObserver<T> out, Supplier<T> call) {
        var started = System.nanoTime();
        MDC.put("containerId", containerId);
        MDC.put("pod", pod);
        MDC.put("ifName", ifName);
        try {
            var reply = call.get();
            var nanos = System.nanoTime() - started;
            log.info("{} ok in {} us", verb, nanos / 1000);
            metrics.answered(verb, "ok", null, nanos);
            out.onNext(reply);
            out.onCompleted();
        } catch (RuntimeException e) {
            var status = StatusMapping.toStatus(verb, "container " + containerId + " " + ifName, e);
            var nanos = System.nanoTime() - started;
            log.warn("{} failed in {} us: {} {}", verb, nanos / 1000,
                    status.getStatus().getCode(), status.getStatus().getDescription());
            metrics.answered(verb, status.getStatus().getCode().name(), e, nanos);
            out.onError(status);
        } finally {
            MDC.clear();
        }
    }
}
