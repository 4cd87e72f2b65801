package io.vpccni.cni.json;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Strict RFC 8259 JSON with no dependencies, so the per-pod plugin JVM starts fast. Parsed values:
 * objects are {@code LinkedHashMap<String, Object>} in document order, arrays {@code ArrayList<Object>},
 * then {@code String}, {@code Boolean} and Java {@code null}. Numbers without fraction or exponent that
 * fit are {@code Long}; all others are an exact {@code BigDecimal}, never a double. Numbers longer than
 * {@link #MAX_NUMBER_LENGTH} characters are refused.
 */
public final class Json {
    /** Maximum nesting of objects and arrays, so hostile input cannot overflow the stack. */
    public static final int MAX_DEPTH = 64;

    /**
     * Longest number accepted, in characters (sign, digits, fraction and exponent). Real numbers in a CNI
     * configuration are a few digits long; converting a very long one would cost seconds of CPU.
     */
    public static final int MAX_NUMBER_LENGTH = 100;

    private Json() {
    }

    /** Parses one document; anything but whitespace after the value is an error. */
    public static Object parse(String text) {
        return JsonParser.parse(text);
    }

    /** Parses UTF-8 (e.g. stdin). Malformed UTF-8 is rejected, not replaced; error positions count chars. */
    public static Object parse(byte[] utf8) {
        String text = new String(utf8, StandardCharsets.UTF_8); // intrinsic, fast on a cold JVM
        // Malformed bytes decode to U+FFFD; only then pay for a strict decoder, which also tells
        // them apart from a genuine U+FFFD in the input.
        if (text.indexOf('\uFFFD') >= 0) {
            ByteBuffer in = ByteBuffer.wrap(utf8);
            try {
                StandardCharsets.UTF_8.newDecoder().decode(in);
            } catch (CharacterCodingException e) {
                throw new JsonException("invalid UTF-8 at byte offset " + in.position());
            }
        }
        return JsonParser.parse(text);
    }

    /**
     * Compact JSON, maps in iteration order. Accepts Map (String keys), List, String,
     * Long, Integer, Short, Byte, BigInteger, BigDecimal, Boolean and null.
     *
     * @throws IllegalArgumentException for other types (Double included), non-String keys, or nesting
     *     deeper than {@link #MAX_DEPTH}
     */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder(256);
        JsonWriter.write(value, out, 0);
        return out.toString();
    }

    /**
     * The value for {@code key}, matched exactly or else ignoring case (containerd sends runtimeConfig
     * keys as "HostPort", others as "hostPort"); null when absent.
     *
     * @throws JsonException when there is no exact match and two keys match ignoring case
     */
    public static Object getIgnoreCase(Map<String, ?> map, String key) {
        String k = keyIgnoreCase(map, key);
        return k == null ? null : map.get(k);
    }

    /** The key present in {@code map} that {@link #getIgnoreCase} would use, or null. */
    public static String keyIgnoreCase(Map<String, ?> map, String key) {
        if (map.containsKey(key)) {
            return key;
        }
        String found = null;
        for (String k : map.keySet()) {
            if (k.equalsIgnoreCase(key)) {
                if (found != null) {
                    throw new JsonException("ambiguous keys \"" + JsonWriter.escape(found) + "\" and \""
                            + JsonWriter.escape(k) + "\" for \"" + JsonWriter.escape(key) + "\"");
                }
                found = k;
            }
        }
        return found;
    }

    /** The JSON type of a parsed value, for messages: "a string", "a list", "null", ... */
    public static String typeName(Object v) {
        return v == null ? "null"
                : v instanceof String ? "a string"
                : v instanceof Number ? "a number"
                : v instanceof Boolean ? "a boolean"
                : v instanceof Map<?, ?> ? "an object"
                : v instanceof List<?> ? "a list"
                : "a " + v.getClass().getName();
    }
}
