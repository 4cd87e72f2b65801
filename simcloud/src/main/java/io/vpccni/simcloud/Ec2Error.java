package io.vpccni.simcloud;

/** An EC2 API error as the Query protocol reports it: an error code, a message and an HTTP status. */
public final class Ec2Error extends RuntimeException {
    private final String code;
    private final int httpStatus;

    public Ec2Error(String code, String message) {
        this(code, message, 400);
    }

    public Ec2Error(String code, String message, int httpStatus) {
        super(message);
        this.code = code;
        this.httpStatus = httpStatus;
    }

    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    @Override
    public String toString() {
        return code + ": " + getMessage();
    }
}
