package io.vpccni.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs a command and returns its stdout; tests use it to observe the kernel with ip(8), never to change the host. */
final class Shell {
    private Shell() {
    }

    static String run(String... command) {
        try {
            var p = new ProcessBuilder(command).redirectErrorStream(true).start();
            var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static List<String> linkNames(String... nsenter) {
        var cmd = new java.util.ArrayList<>(List.of(nsenter));
        cmd.addAll(List.of("ip", "-o", "link", "show"));
        return run(cmd.toArray(String[]::new)).lines().map(l -> l.split(": ")[1].split("@")[0]).sorted().toList();
    }
}
