package io.vpccni.cni.grpc;

import java.nio.file.Path;

/**
 * The call ended without any gRPC status from ipamd: the plugin could not connect, the connection broke,
 * or the plugin's own deadline passed. Unlike {@link GrpcException}, nothing here came from the daemon,
 * so the message says which socket and which phase of the call failed.
 */
public final class TransportException extends Exception {
    /** Where the call was when it failed. */
    public enum Phase {
        CONNECT("connecting"), SEND("sending the request"), RECEIVE("waiting for the reply");

        private final String doing;

        Phase(String doing) {
            this.doing = doing;
        }

        public String doing() {
            return doing;
        }
    }

    private final Phase phase;
    private final boolean deadlinePassed;

    private TransportException(Phase phase, boolean deadlinePassed, String message) {
        super(message, null, false, false);
        this.phase = phase;
        this.deadlinePassed = deadlinePassed;
    }

    /** Nobody can take the call: no socket, nobody listening, no permission. Waiting would not help. */
    static TransportException unreachable(Path socket, String reason) {
        return new TransportException(Phase.CONNECT, false, "ipamd is not reachable at " + socket + ": " + reason);
    }

    /** @param lastObstacle what kept the phase from completing, or null when nothing more is known */
    static TransportException deadlinePassed(Path socket, Phase phase, Deadline deadline, String lastObstacle) {
        return new TransportException(phase, true, "ipamd at " + socket + " did not answer within "
                + deadline.timeoutMillis() + " ms (ipamdTimeoutMs): the deadline passed while " + phase.doing()
                + (lastObstacle == null ? "" : " (" + lastObstacle + ")"));
    }

    static TransportException broken(Path socket, Phase phase, String reason) {
        return new TransportException(phase, false, "the connection to ipamd at " + socket + " failed while "
                + phase.doing() + ": " + reason);
    }

    public Phase phase() {
        return phase;
    }

    public boolean deadlinePassed() {
        return deadlinePassed;
    }
}
