package io.vpccni.ipamd.doctor;

/**
 * The running daemon as the doctor reads it: its CNI STATUS (gRPC) and its introspection ({@code /v1/pods},
 * {@code /v1/guard}). Each answer says why when the daemon is down or answers something unexpected; nothing
 * here throws.
 */
public interface DaemonView extends AutoCloseable {
    Answer<DaemonStatus> status();

    Answer<PodsView> pods();

    Answer<GuardView> guard();

    @Override
    default void close() {
    }
}
