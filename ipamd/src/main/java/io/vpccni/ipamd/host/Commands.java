package io.vpccni.ipamd.host;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the node's firewall tools (iptables-*, nft) as processes: input on stdin, output back, failures with what
 * they printed.
 *
 * <p>One deadline bounds the whole run: feeding stdin, the tool's exit and reading its output to the end. The
 * host network loop calls these tools, so a tool stuck on the xtables lock or a kernel call must cost one failed
 * round, never the loop. Input and output therefore move on threads of their own, and a tool past the deadline
 * is killed together with everything it started (which would otherwise keep the pipes open).
 */
final class Commands {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Commands() {
    }

    static String run(List<String> command, String stdin) throws IptablesException {
        return run(command, stdin, TIMEOUT);
    }

    static String run(List<String> command, String stdin, Duration timeout) throws IptablesException {
        var name = String.join(" ", command);
        Process process;
        try {
            process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(false).start();
        } catch (IOException e) {
            throw new IptablesException(command.getFirst() + " cannot run (is it in the image?): " + e.getMessage());
        }
        var deadline = System.nanoTime() + timeout.toNanos();
        Thread.ofVirtual().name("stdin of " + command.getFirst()).start(() -> feed(process, stdin));
        var stdout = drain(process.getInputStream(), "stdout of " + command.getFirst());
        var stderr = drain(process.getErrorStream(), "stderr of " + command.getFirst());
        try {
            if (!process.waitFor(remaining(deadline), TimeUnit.NANOSECONDS)) {
                var killed = killTree(process);
                throw new IptablesException(name + " did not finish within " + timeout.toMillis() + " ms; killed it"
                        + (killed == 0 ? "" : " and " + killed + " process(es) it started"));
            }
            var out = stdout.get(remaining(deadline), TimeUnit.NANOSECONDS);
            var err = stderr.get(remaining(deadline), TimeUnit.NANOSECONDS);
            if (process.exitValue() != 0) {
                throw new IptablesException(name + " exited " + process.exitValue() + ": " + err.strip()
                        + (stdin == null ? "" : "\ninput was:\n" + stdin));
            }
            return out;
        } catch (TimeoutException e) {
            // The tool exited, but something it left behind still holds its output open.
            throw new IptablesException(name + " exited " + process.exitValue() + " but its output was still open "
                    + timeout.toMillis() + " ms after it started (a process it left behind holds it)");
        } catch (ExecutionException e) {
            throw new IptablesException(name + ": cannot read its output: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            throw new IptablesException(name + " was interrupted");
        }
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    /** A tool that fails before reading all its input closes the pipe; its exit code and stderr tell why, not EPIPE. */
    private static void feed(Process process, String stdin) {
        try (var in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException ignored) {
            // reported by the exit code and stderr
        }
    }

    private static FutureTask<String> drain(InputStream stream, String what) {
        var task = new FutureTask<>(() -> new String(stream.readAllBytes(), StandardCharsets.UTF_8));
        Thread.ofVirtual().name(what).start(task);
        return task;
    }

    /** Kills the tool and its descendants (listed first: once the tool is gone they are no longer its children). */
    private static int killTree(Process process) {
        var descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        return descendants.size();
    }
}
