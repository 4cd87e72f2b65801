package io.vpccni.ipamd.eni;

/** An ENI step failed; the message names the step and the ENI, and what was cleaned up. */
public final class EniException extends RuntimeException {
    public EniException(String message, Throwable cause) {
        super(message, cause);
    }
}
