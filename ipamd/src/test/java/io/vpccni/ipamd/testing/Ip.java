package io.vpccni.ipamd.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** ip(8), for tests to set the scene and observe the kernel independently of the code under test. */
public final class Ip {
    private Ip() {
    }

    public static String run(String... args) {
        var cmd = new ArrayList<String>(List.of("ip"));
        cmd.addAll(List.of(args));
        return exec(cmd);
    }

    /** Runs any command (nsenter, unshare, ...) and returns its output. @throws IllegalStateException when it fails */
    public static String exec(List<String> cmd) {
        try {
            var p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** ip -n NS ... */
    public static String in(String ns, String... args) {
        var all = new String[args.length + 2];
        all[0] = "-n";
        all[1] = ns;
        System.arraycopy(args, 0, all, 2, args.length);
        return run(all);
    }

    public static void quietly(String... args) {
        try {
            run(args);
        } catch (IllegalStateException ignored) {
            // cleanup of something that may not exist
        }
    }

    /** Runs any command, ignoring failure: cleanup of something that may not exist. */
    public static void execQuietly(List<String> cmd) {
        try {
            exec(cmd);
        } catch (IllegalStateException ignored) {
            // nothing to clean up
        }
    }
}
