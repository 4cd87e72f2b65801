package io.vpccni.cni.grpc;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** grpc-message is percent-encoded UTF-8; a malformed escape is kept as-is rather than failing the call. */
final class PercentDecoding {
    private PercentDecoding() {
    }

    static String decode(String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        var bytes = value.getBytes(StandardCharsets.ISO_8859_1);
        var out = new ByteArrayOutputStream(bytes.length);
        for (var i = 0; i < bytes.length; i++) {
            if (bytes[i] == '%' && i + 2 < bytes.length) {
                var hi = Character.digit(bytes[i + 1], 16);
                var lo = Character.digit(bytes[i + 2], 16);
                if (hi >= 0 && lo >= 0) {
                    out.write(hi << 4 | lo);
                    i += 2;
                    continue;
                }
            }
            out.write(bytes[i]);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
