package io.vpccni.cni;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.stream.Stream;

import static io.vpccni.cni.HostileDaemon.concat;
import static io.vpccni.cni.HostileDaemon.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ipamdTimeoutMs bounds every phase of the call, whatever the daemon does: the plugin answers 11 (try again
 * later) naming the socket and the phase, and returns. The timeouts on these tests only turn a hang into a
 * failure; nothing here measures how long anything took.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DaemonDeadlineTest {
    private static final int DATA = 0x0, HEADERS = 0x1, SETTINGS = 0x4, PING = 0x6, WINDOW_UPDATE = 0x8, CONTINUATION = 0x9;

    @TempDir
    Path dir;

    private PluginRun add(Path socket, long timeoutMillis) {
        var run = new PluginRun("ADD", dir.resolve("plugin.log"));
        run.stdin = PluginRun.conf("1.0.0", socket, dir.resolve("plugin.log"), ",\"ipamdTimeoutMs\":" + timeoutMillis);
        return run.run();
    }

    private static void assertTryAgainLater(PluginRun run, Path socket, String phase) {
        assertEquals(1, run.exit, run.stdout);
        assertEquals(11, run.code(), run.stdout);
        assertTrue(run.msg().contains("ipamd at " + socket + " did not answer within"), run.msg());
        assertTrue(run.msg().contains("the deadline passed while " + phase), run.msg());
    }

    @Test
    void aFullAcceptQueueIsBoundedByTheDeadline() throws Exception {
        var socket = dir.resolve("full.sock");
        try (var daemon = HostileDaemon.withFullAcceptQueue(socket)) {
            var run = add(socket, 1000);
            assertTryAgainLater(run, socket, "connecting");
            assertTrue(run.msg().contains("accept queue"), run.msg());
        }
    }

    @Test
    void aSilentDaemonIsBoundedWhileWaitingForTheReply() throws Exception {
        var socket = dir.resolve("silent.sock");
        try (var daemon = HostileDaemon.silent(socket)) {
            assertTryAgainLater(add(socket, 1000), socket, "waiting for the reply");
        }
    }

    static Stream<Arguments> floods() {
        var noHeaders = new byte[0];
        return Stream.of(
                Arguments.of("PING", noHeaders, frame(PING, 0, 0, new byte[8])),
                Arguments.of("SETTINGS", noHeaders, frame(SETTINGS, 0, 0, new byte[0])),
                Arguments.of("WINDOW_UPDATE", noHeaders, frame(WINDOW_UPDATE, 0, 0, new byte[]{0, 0, 0, 1})),
                Arguments.of("empty DATA", frame(HEADERS, 0x4, 1, new byte[]{(byte) 0x88}), frame(DATA, 0, 1, new byte[0])),
                Arguments.of("empty CONTINUATION", frame(HEADERS, 0, 1, new byte[0]), frame(CONTINUATION, 0, 1, new byte[0])),
                Arguments.of("an unknown frame type", noHeaders, frame(0x42, 0, 0, new byte[4])));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("floods")
    void aFloodOfFramesThatNeverEndsTheCallIsBoundedByTheDeadline(String what, byte[] opening, byte[] frame) throws Exception {
        var socket = dir.resolve("flood.sock");
        try (var daemon = HostileDaemon.flooding(socket, concat(frame(SETTINGS, 0, 0, new byte[0]), opening), frame)) {
            var run = add(socket, 300);
            assertEquals(11, run.code(), run.stdout);
            assertTrue(run.msg().contains("ipamd at " + socket + " did not answer within 300 ms"), run.msg());
        }
    }

    @Test
    void aDaemonTricklingBytesIsBoundedByTheDeadline() throws Exception {
        var socket = dir.resolve("trickle.sock");
        try (var daemon = HostileDaemon.trickling(socket, frame(PING, 0, 0, new byte[8]), 1)) {
            var run = add(socket, 300);
            assertEquals(11, run.code(), run.stdout);
            assertTrue(run.msg().contains("ipamd at " + socket + " did not answer within 300 ms"), run.msg());
        }
    }
}
