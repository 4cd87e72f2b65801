package io.vpccni.test.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of an external tool (podman, buildah, ctr, ip, busybox) with a deadline: a hung runtime fails the test
 * with what it printed instead of hanging the build. Output is collected through a file, not a pipe, because
 * podman leaves conmon behind holding its stdout, and a pipe would then never reach end-of-file.
 */
record Command(List<String> argv, Map<String, String> env, Duration deadline) {
    static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(60);

    record Result(List<String> argv, int exit, String output, Duration took) {
        boolean ok() {
            return exit == 0;
        }

        /** The output, or an error naming the command, its exit status and everything it printed. */
        String orThrow() {
            if (exit != 0) {
                throw new IllegalStateException(String.join(" ", argv) + " exited " + exit + ":\n" + output);
            }
            return output;
        }
    }

    static Command of(String... argv) {
        return new Command(List.of(argv), Map.of(), DEFAULT_DEADLINE);
    }

    static Command of(List<String> argv) {
        return new Command(List.copyOf(argv), Map.of(), DEFAULT_DEADLINE);
    }

    Command withEnv(Map<String, String> more) {
        var all = new java.util.HashMap<>(env);
        all.putAll(more);
        return new Command(argv, Map.copyOf(all), deadline);
    }

    Command within(Duration d) {
        return new Command(argv, env, d);
    }

    Result run() {
        Path out = null;
        try {
            out = Files.createTempFile("cmd", ".out");
            var pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().putAll(env);
            var start = System.nanoTime();
            var p = pb.start();
            if (!p.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new IllegalStateException(String.join(" ", argv) + " did not finish within " + deadline + ":\n"
                        + Files.readString(out));
            }
            var took = Duration.ofNanos(System.nanoTime() - start);
            return new Result(argv, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), took);
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", argv) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", argv) + " interrupted", e);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // a temp file
                }
            }
        }
    }

    /** Runs it and returns its output; fails naming the command when it exits non-zero. */
    String output() {
        return run().orThrow();
    }
}
