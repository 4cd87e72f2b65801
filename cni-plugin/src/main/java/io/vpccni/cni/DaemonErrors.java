package io.vpccni.cni;

import io.vpccni.cni.grpc.GrpcException;
import io.vpccni.cni.grpc.TransportException;

import static io.vpccni.cni.grpc.GrpcException.CANCELLED;
import static io.vpccni.cni.grpc.GrpcException.DEADLINE_EXCEEDED;
import static io.vpccni.cni.grpc.GrpcException.INVALID_ARGUMENT;
import static io.vpccni.cni.grpc.GrpcException.NOT_FOUND;
import static io.vpccni.cni.grpc.GrpcException.RESOURCE_EXHAUSTED;
import static io.vpccni.cni.grpc.GrpcException.UNAVAILABLE;
import static io.vpccni.cni.grpc.GrpcException.UNIMPLEMENTED;

/**
 * The one place where a failed call to ipamd becomes a CNI error code. It follows the error contract in
 * proto/README.md (domain failure → gRPC status → CNI code) row for row; DaemonErrorsTest reads that
 * table and checks every row against this class.
 */
final class DaemonErrors {
    private DaemonErrors() {
    }

    /** The CNI code for a call that ended with gRPC status {@code status}, for ADD, DEL, CHECK and GC. */
    static int cniCode(int status) {
        return switch (status) {
            // Nothing changed and the condition passes: the runtime retries.
            case UNAVAILABLE, RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED, CANCELLED -> CniException.TRY_AGAIN_LATER;
            case INVALID_ARGUMENT -> CniException.INVALID_NETWORK_CONFIG;
            case NOT_FOUND -> CniException.UNKNOWN_CONTAINER;
            // INTERNAL, UNIMPLEMENTED (a daemon older than the plugin), every other status, and FAILED_PRECONDITION:
            // plugin and daemon of different major versions. Not code 1, which says the runtime's cniVersion is
            // unsupported; that version is fine, and the fix is on the node (proto/README.md says more).
            default -> CniException.INTERNAL;
        };
    }

    static CniException toCni(String verb, GrpcException e) {
        var msg = e.code() == UNIMPLEMENTED
                ? verb + " failed: ipamd does not implement it, so aws-k8s-agent is older than this aws-cni; "
                        + "run the two from the same release (" + e.getMessage() + ")"
                : verb + " failed: " + e.getMessage();
        return new CniException(cniCode(e.code()), msg, grpcStatus(e));
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
        var details = e instanceof GrpcException g ? grpcStatus(g)
                : "no gRPC status: the call failed while " + ((TransportException) e).phase().doing();
        return new CniException(CniException.NOT_AVAILABLE, "ipamd is not available: " + e.getMessage(), details);
    }

    private static String grpcStatus(GrpcException e) {
        return "gRPC status " + GrpcException.name(e.code()) + " (" + e.code() + ")";
    }
}
