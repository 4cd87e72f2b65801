package io.vpccni.ipamd.pod;

/** The caller stopped waiting (deadline passed or cancelled); the work stopped and undid what it had begun. */
public final class CallerGoneException extends RuntimeException {
    public CallerGoneException(String message) {
        super(message);
    }
}
