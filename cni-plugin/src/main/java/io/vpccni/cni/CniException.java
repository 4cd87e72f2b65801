package io.vpccni.cni;

/** A failure the runtime sees as a CNI error object: {@code {"code":..,"msg":..,"details":..}}. */
public final class CniException extends Exception {
    public static final int INCOMPATIBLE_VERSION = 1;
    public static final int UNSUPPORTED_FIELD = 2;
    public static final int UNKNOWN_CONTAINER = 3;
    public static final int INVALID_ENVIRONMENT = 4;
    public static final int IO_FAILURE = 5;
    public static final int DECODING_FAILURE = 6;
    public static final int INVALID_NETWORK_CONFIG = 7;
    public static final int TRY_AGAIN_LATER = 11;
    public static final int NOT_AVAILABLE = 50;
    public static final int LIMITED_CONNECTIVITY = 51;
    public static final int INTERNAL = 999;

    private final int code;
    private final String details;

    public CniException(int code, String msg) {
        this(code, msg, "");
    }

    public CniException(int code, String msg, String details) {
        super(msg, null, false, false);
        this.code = code;
        this.details = details == null ? "" : details;
    }

    public int code() {
        return code;
    }

    public String details() {
        return details;
    }
}
