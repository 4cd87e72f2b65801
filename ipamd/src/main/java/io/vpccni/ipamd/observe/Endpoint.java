package io.vpccni.ipamd.observe;

import java.nio.charset.StandardCharsets;

/** What one path of a small HTTP server answers to GET: computed afresh for each request, off the I/O thread. */
@FunctionalInterface
public interface Endpoint {
    Response get();

    /** A 200 answer. */
    record Response(String contentType, byte[] body) {
        public static Response json(String json) {
            return new Response("application/json", json.getBytes(StandardCharsets.UTF_8));
        }

        public static Response text(String contentType, String text) {
            return new Response(contentType, text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
