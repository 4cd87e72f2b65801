package io.vpccni.ipamd.doctor;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The running daemon: STATUS over its gRPC socket, pods and ENIs from its introspection server. Each answer is
 * asked once and kept, so every check of one run sees the same daemon state.
 */
final class LiveDaemon implements DaemonView {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final StatusClient statusClient;
    private final IntrospectionClient introspection;
    private final String introspectionOff;
    private Answer<DaemonStatus> status;
    private Answer<PodsView> pods;
    private Answer<GuardView> guard;

    /** @param introspection null when the daemon serves none; {@code introspectionOff} then says why */
    LiveDaemon(Path socket, String clientVersion, URI introspection, String introspectionOff) {
        this.statusClient = new StatusClient(socket, clientVersion, TIMEOUT);
        this.introspection = introspection == null ? null : new IntrospectionClient(introspection, TIMEOUT);
        this.introspectionOff = introspectionOff;
    }

    @Override
    public synchronized Answer<DaemonStatus> status() {
        if (status == null) {
            status = statusClient.status();
        }
        return status;
    }

    @Override
    public synchronized Answer<PodsView> pods() {
        if (pods == null) {
            pods = introspection == null ? Answer.failed(introspectionOff) : introspection.pods();
        }
        return pods;
    }

    @Override
    public synchronized Answer<GuardView> guard() {
        if (guard == null) {
            guard = introspection == null ? Answer.failed(introspectionOff) : introspection.guard();
        }
        return guard;
    }

    @Override
    public void close() {
        if (introspection != null) {
            introspection.close();
        }
    }
}
