package io.vpccni.ipamd.host;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The firewall tools run under one deadline for the whole run, output included. The deadlines here are
 * short so that a hung tool fails fast; the 60 s the tests wait for an answer is only a bound on a broken
 * implementation (which would hang), never a measurement.
 */
class CommandsTest {
    private static final Duration SHORT = Duration.ofMillis(300);
    private static final long ANSWER_DEADLINE_SECONDS = 60;

    /** Runs in the background so that an implementation that hangs fails the test instead of stalling the build. */
    private static String runBounded(List<String> command, String stdin, Duration timeout) throws Exception {
        var run = CompletableFuture.supplyAsync(() -> {
            try {
                return Commands.run(command, stdin, timeout);
            } catch (IptablesException e) {
                throw new RuntimeException(e);
            }
        });
        try {
            return run.get(ANSWER_DEADLINE_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause().getCause();
        }
    }

    /**
     * A helper process the command under test starts, marked by a unique name ($0) so the test can find it: a
     * shell that waits for a sleep, so that both hold the pipes they inherited.
     */
    private static String helper(String token) {
        return "sh -c 'sleep 60; true' " + token;
    }

    private static List<ProcessHandle> processesMarked(String token) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(args -> List.of(args).contains(token)).orElse(false))
                .toList();
    }

    /** The helper may not even have started before the deadline struck; either way none may be left. */
    private static void awaitNoneLeft(String token) throws Exception {
        for (var process : processesMarked(token)) {
            process.onExit().get(ANSWER_DEADLINE_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Test
    void aCommandThatHangsIsKilledWithWhatItStartedAndNamed() throws Exception {
        var token = "vpccni-hung-" + UUID.randomUUID();
        var script = helper(token) + " & wait";
        var e = assertThrows(IptablesException.class, () -> runBounded(List.of("sh", "-c", script), null, SHORT));
        assertTrue(e.getMessage().startsWith("sh -c " + script + " did not finish within"), e.getMessage());
        awaitNoneLeft(token);
    }

    @Test
    void aHungCommandThatReadsNothingCannotBlockOnItsInput() {
        var input = "x".repeat(1 << 20);  // far more than a pipe holds
        var e = assertThrows(IptablesException.class, () -> runBounded(List.of("sleep", "60"), input, SHORT));
        assertTrue(e.getMessage().startsWith("sleep 60 did not finish within"), e.getMessage());
    }

    /**
     * Either outcome is right, and which one comes is a race the JDK decides: when the tool exits, the JDK's process
     * reaper takes over its output pipe unless a reader is already blocked on it, and then the output ends at once
     * (the tool's answer is returned); otherwise the orphan holds the pipe and the deadline names it. What must never
     * happen is a run that outlives its deadline.
     */
    @Test
    void aCommandThatExitsButLeavesItsOutputOpenStillEndsInTime() throws Exception {
        var token = "vpccni-orphan-" + UUID.randomUUID();
        var script = helper(token) + " &";
        try {
            runBounded(List.of("sh", "-c", script), null, SHORT);
        } catch (IptablesException e) {
            assertTrue(e.getMessage().startsWith("sh -c " + script + " exited 0 but its output was still open"), e.getMessage());
        } finally {
            for (var orphan : processesMarked(token)) {
                orphan.descendants().forEach(ProcessHandle::destroyForcibly);
                orphan.destroyForcibly();
            }
        }
    }

    @Test
    void outputComesBackAndFailuresCarryWhatTheToolPrinted() throws Exception {
        assertEquals("*nat\nCOMMIT\n", runBounded(List.of("cat"), "*nat\nCOMMIT\n", Duration.ofSeconds(30)));
        var e = assertThrows(IptablesException.class, () -> runBounded(
                List.of("sh", "-c", "echo 'line 2 failed' >&2; exit 2"), "x".repeat(1 << 20), Duration.ofSeconds(30)));
        assertTrue(e.getMessage().startsWith("sh -c echo 'line 2 failed' >&2; exit 2 exited 2: line 2 failed"), e.getMessage());
    }

    @Test
    void aToolThatIsNotInstalledSaysSo() {
        var e = assertThrows(IptablesException.class, () -> runBounded(List.of("/nonexistent/iptables-restore"), null, SHORT));
        assertInstanceOf(IptablesException.class, e);
        assertTrue(e.getMessage().contains("cannot run"), e.getMessage());
    }
}
