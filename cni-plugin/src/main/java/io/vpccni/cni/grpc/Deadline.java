package io.vpccni.cni.grpc;

/**
 * The one instant by which a call must be over. Every phase (connect, send, receive) and every loop in
 * them asks this same deadline, so no phase can spend time another phase was promised.
 */
public record Deadline(long atNanos, long timeoutMillis) {
    public static Deadline after(long timeoutMillis) {
        return new Deadline(System.nanoTime() + timeoutMillis * 1_000_000, timeoutMillis);
    }

    public long remainingNanos() {
        return atNanos - System.nanoTime();
    }

    public boolean passed() {
        return remainingNanos() <= 0;
    }

    /** What is left, rounded up to whole milliseconds, so a wait never ends just short of the deadline. */
    public long remainingMillis() {
        var nanos = remainingNanos();
        return nanos <= 0 ? 0 : (nanos + 999_999) / 1_000_000;
    }
}
