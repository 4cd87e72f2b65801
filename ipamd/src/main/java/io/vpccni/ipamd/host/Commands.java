package io.vpccni.ipamd.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the node's firewall tools (iptables-*, nft) as processes: input on stdin, output back, failures with what they printed. */
final class Commands {
    private static final long TIMEOUT_SECONDS = 30;

    private Commands() {
    }

    static String run(List<String> command, String stdin) throws IptablesException {
        Process process;
        try {
            process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(false).start();
        } catch (IOException e) {
            throw new IptablesException(command.getFirst() + " cannot run (is it in the image?): " + e.getMessage());
        }
        try {
            if (stdin != null) {
                try (var in = process.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            } else {
                process.getOutputStream().close();
            }
            var stderr = new StringBuilder();
            var err = Thread.ofVirtual().start(() -> {
                try {
                    stderr.append(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // the exit code reports the failure
                }
            });
            var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IptablesException(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            err.join();
            if (process.exitValue() != 0) {
                throw new IptablesException(String.join(" ", command) + " exited " + process.exitValue() + ": "
                        + stderr.toString().strip() + (stdin == null ? "" : "\ninput was:\n" + stdin));
            }
            return out;
        } catch (IOException e) {
            process.destroyForcibly();
            throw new IptablesException(String.join(" ", command) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IptablesException(String.join(" ", command) + " was interrupted");
        }
    }
}
