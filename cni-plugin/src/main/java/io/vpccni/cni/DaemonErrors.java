package io.vpccni.cni;

import io.vpccni.cni.grpc.GrpcException;

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
}
