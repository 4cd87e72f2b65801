package io.vpccni.cni;

import io.vpccni.cni.grpc.GrpcException;
import io.vpccni.cni.grpc.TransportException;

/** The one place where a failed call to ipamd becomes a CNI error code. */
final class DaemonErrors {
    private DaemonErrors() {
    }

    static CniException toCni(String verb, GrpcException e) {
        var code = switch (e.code()) {
            case GrpcException.UNAVAILABLE, GrpcException.RESOURCE_EXHAUSTED, GrpcException.DEADLINE_EXCEEDED ->
                    CniException.TRY_AGAIN_LATER;
            case GrpcException.INVALID_ARGUMENT -> CniException.INVALID_NETWORK_CONFIG;
            case GrpcException.NOT_FOUND -> CniException.UNKNOWN_CONTAINER;
            default -> CniException.INTERNAL;
        };
        return new CniException(code, verb + " failed: " + e.getMessage(), "gRPC status " + e.code());
    }

    /** No status at all: the daemon could not be reached, the connection broke, or the plugin's deadline passed. */
    static CniException toCni(String verb, TransportException e) {
        return new CniException(CniException.TRY_AGAIN_LATER, verb + " failed: " + e.getMessage(),
                "no gRPC status: the call failed while " + e.phase().doing());
    }

    /**
     * STATUS has error codes of its own (CNI 1.1): whatever keeps the plugin from learning that ipamd can
     * serve ADD, a status or no answer at all, is 50, "the plugin is not available".
     */
    static CniException statusUnknown(Exception e) {
        var details = e instanceof GrpcException g ? "gRPC status " + g.code()
                : "no gRPC status: the call failed while " + ((TransportException) e).phase().doing();
        return new CniException(CniException.NOT_AVAILABLE, "ipamd is not available: " + e.getMessage(), details);
    }
}
