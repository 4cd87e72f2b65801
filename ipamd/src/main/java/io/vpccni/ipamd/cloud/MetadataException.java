package io.vpccni.ipamd.cloud;

import java.io.IOException;

/**
 * The instance metadata service (IMDS) could not answer a path. The message names the path and what to check.
 * Checked: IMDS is how the daemon learns which ENIs exist, so a caller must decide what a gap means.
 */
public final class MetadataException extends IOException {
    private final String path;
    private final int status;

    public MetadataException(String path, int status, String message, Throwable cause) {
        super(message, cause);
        this.path = path;
        this.status = status;
    }

    /** The metadata path, e.g. {@code network/interfaces/macs/0a:…/local-ipv4s}. */
    public String path() {
        return path;
    }

    /** The HTTP status, or 0 when there was no answer (timeout, connection refused). */
    public int status() {
        return status;
    }
}
