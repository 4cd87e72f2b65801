package io.vpccni.ipamd.pod;

/** A kernel step of pod wiring failed; the message names the step and the object. */
public class WiringException extends RuntimeException {
    public WiringException(String message) {
        super(message);
    }

    public WiringException(String message, Throwable cause) {
        super(message, cause);
    }
}
