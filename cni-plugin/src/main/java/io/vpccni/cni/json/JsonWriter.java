package io.vpccni.cni.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/** Compact, deterministic JSON serialisation: maps are written in their iteration order. */
final class JsonWriter {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonWriter() {
    }

    static void write(Object v, StringBuilder out, int depth) {
        // Common types first: each instanceof against BigDecimal or BigInteger would load that class.
        if (v instanceof String str) {
            escape(str, out.append('"'));
            out.append('"');
        } else if (v == null || v instanceof Long || v instanceof Boolean || v instanceof Integer) {
            out.append(v);
        } else if (v instanceof Map<?, ?> map) {
            checkDepth(depth);
            char sep = '{';
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("JSON object keys must be strings, found "
                            + (e.getKey() == null ? "null" : e.getKey().getClass().getName()));
                }
                escape(key, out.append(sep).append('"'));
                write(e.getValue(), out.append("\":"), depth + 1);
                sep = ',';
            }
            out.append(sep == '{' ? "{}" : "}");
        } else if (v instanceof List<?> list) {
            checkDepth(depth);
            char sep = '[';
            for (Object e : list) {
                write(e, out.append(sep), depth + 1);
                sep = ',';
            }
            out.append(sep == '[' ? "[]" : "]");
        } else if (v instanceof BigDecimal || v instanceof BigInteger || v instanceof Short || v instanceof Byte) {
            out.append(v); // BigDecimal's 1E+400 form is valid JSON and keeps the exact scale
        } else {
            // Double and Float are refused on purpose: NaN has no JSON form and binary fractions
            // print digits nobody wrote; BigDecimal says exactly what is meant.
            throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as JSON");
        }
    }

    private static void checkDepth(int depth) {
        if (depth >= Json.MAX_DEPTH) { // also stops a map or list that contains itself
            throw new IllegalArgumentException("JSON nesting deeper than " + Json.MAX_DEPTH + " levels (cyclic?)");
        }
    }

    /** The string body (without quotes) escaped per RFC 8259; also used to quote keys in messages. */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        escape(s, sb);
        return sb.toString();
    }

    static void escape(String s, StringBuilder out) {
        int n = s.length();
        int run = 0; // start of the pending run of chars that need no escaping
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++; // a proper pair is ordinary text, encoded as UTF-8 by the caller
                continue;
            }
            out.append(s, run, i).append('\\');
            int simple = "\"\\\b\f\n\r\t".indexOf(c);
            if (simple >= 0) {
                out.append("\"\\bfnrt".charAt(simple));
            } else { // other control chars, and lone surrogates which UTF-8 cannot carry
                out.append('u').append(HEX[c >> 12]).append(HEX[(c >> 8) & 15])
                        .append(HEX[(c >> 4) & 15]).append(HEX[c & 15]);
            }
            run = i + 1;
        }
        out.append(s, run, n);
    }
}
