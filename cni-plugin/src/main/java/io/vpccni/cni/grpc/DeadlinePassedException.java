package io.vpccni.cni.grpc;

import java.io.IOException;

/** Thrown by {@link FrameChannel} when the call's deadline passes; the caller knows the phase and the socket. */
public final class DeadlinePassedException extends IOException {
    DeadlinePassedException() {
        super("the call's deadline passed", null);
    }
}
