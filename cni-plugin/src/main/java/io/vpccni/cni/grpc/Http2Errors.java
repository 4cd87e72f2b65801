package io.vpccni.cni.grpc;

/** HTTP/2 error codes (RFC 9113 §7) and HTTP statuses, mapped to gRPC codes as the gRPC HTTP/2 spec says. */
final class Http2Errors {
    private static final String[] NAMES = {"NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR",
            "SETTINGS_TIMEOUT", "STREAM_CLOSED", "FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL", "COMPRESSION_ERROR",
            "CONNECT_ERROR", "ENHANCE_YOUR_CALM", "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED"};

    private Http2Errors() {
    }

    static String name(int error) {
        return error >= 0 && error < NAMES.length ? NAMES[error] : "error 0x" + Integer.toHexString(error);
    }

    static int toGrpcCode(int error) {
        return switch (error) {
            case 7 -> GrpcException.UNAVAILABLE;          // REFUSED_STREAM: never processed, safe to retry
            case 8 -> GrpcException.CANCELLED;
            case 11 -> GrpcException.RESOURCE_EXHAUSTED;  // ENHANCE_YOUR_CALM
            default -> GrpcException.INTERNAL;
        };
    }

    static int httpStatusToGrpcCode(String status) {
        if (status == null) {
            return GrpcException.INTERNAL;
        }
        return switch (status) {
            case "400" -> GrpcException.INTERNAL;
            case "401" -> 16;                               // UNAUTHENTICATED
            case "403" -> 7;                                // PERMISSION_DENIED
            case "404" -> GrpcException.UNIMPLEMENTED;
            case "429", "502", "503", "504" -> GrpcException.UNAVAILABLE;
            default -> GrpcException.UNKNOWN;
        };
    }
}
