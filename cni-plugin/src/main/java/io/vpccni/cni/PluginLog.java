package io.vpccni.cni;

import io.vpccni.cni.json.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;

/**
 * The plugin's log: one JSON line per call, appended to pluginLogFile and rotated there ({@link RotatingLogFile});
 * "stderr" is accepted too. Never stdout, which carries only the result. A log that cannot be written or rotated
 * never fails the call: it is said on stderr.
 */
final class PluginLog {
    private PluginLog() {
    }

    /** One call's outcome; {@code error} is null on success. */
    record Entry(String verb, CniEnv env, String ip, CniException error, long durationNanos) {
    }

    static void write(String file, String level, Entry e) {
        if (e.error() == null && (level.equals("WARN") || level.equals("ERROR"))) {
            return;
        }
        var line = new LinkedHashMap<String, Object>();
        line.put("time", Rfc3339.format(System.currentTimeMillis()));
        line.put("level", e.error() == null ? "info" : "error");
        line.put("verb", e.verb());
        if (e.env() != null) {
            line.put("containerId", e.env().containerId());
            line.put("pod", e.env().args().pod());
            line.put("ifName", e.env().ifName());
            line.put("netns", e.env().netns());
        }
        line.put("outcome", e.error() == null ? "ok" : "error");
        if (e.ip() != null) {
            line.put("ip", e.ip());
        }
        if (e.error() != null) {
            line.put("code", (long) e.error().code());
            line.put("msg", e.error().getMessage());
        }
        line.put("durationUs", e.durationNanos() / 1000);
        var bytes = (Json.write(line) + "\n").getBytes(StandardCharsets.UTF_8);
        if (file.equals("stderr")) {
            System.err.print(new String(bytes, StandardCharsets.UTF_8));
            return;
        }
        try {
            new RotatingLogFile(file).append(bytes);
        } catch (RotatingLogFile.NotRotated ex) {
            System.err.println("aws-cni: " + ex.getMessage());
        } catch (IOException | RuntimeException ex) {
            System.err.println("aws-cni: cannot write plugin log " + file + ": " + ex);
        }
    }
}
