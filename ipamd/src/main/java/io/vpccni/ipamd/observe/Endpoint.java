package io.vpccni.ipamd.observe;

import java.nio.charset.StandardCharsets;

/** What one path of a small HTTP server answers to GET: computed afresh for each request, off the I/O thread. */
@FunctionalInterface
public interface Endpoint {
    Response get();

    /** An answer: 200, or 503 for a health check that fails (kubelet's probes read only the status). */
    record Response(int status, String contentType, byte[] body) {
        public static Response json(String json) {
            return new Response(200, "application/json", json.getBytes(StandardCharsets.UTF_8));
        }

        public static Response text(String contentType, String text) {
            return new Response(200, contentType, text.getBytes(StandardCharsets.UTF_8));
        }

        public static Response unavailable(String reason) {
            return new Response(503, "text/plain; charset=utf-8", (reason + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }
}
