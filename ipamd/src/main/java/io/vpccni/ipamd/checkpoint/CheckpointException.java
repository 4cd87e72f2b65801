package io.vpccni.ipamd.checkpoint;

import java.io.IOException;

/**
 * The checkpoint could not be read or written. The message says what failed, on which file, and what to do.
 *
 * <p>Checked, because every caller has a duty on failure: after a failed save it must undo the change it
 * meant to record; after a failed load it must not hand out addresses.
 */
public final class CheckpointException extends IOException {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
