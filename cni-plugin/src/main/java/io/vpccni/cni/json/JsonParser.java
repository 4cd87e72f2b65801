package io.vpccni.cni.json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Single-pass recursive-descent parser for RFC 8259 JSON; one instance per document. */
final class JsonParser {
    private final String s;
    private final int n;
    private int pos;
    private int depth;

    private JsonParser(String text) {
        this.s = text;
        this.n = text.length();
    }

    static Object parse(String text) {
        JsonParser p = new JsonParser(text);
        Object v = p.value("a JSON value", null);
        p.skipWs();
        if (p.pos < p.n) {
            throw p.expected("end of input after the top-level value");
        }
        return v;
    }

    /**
     * Skips whitespace and parses one value; {@code what} names it in the error if there is none.
     * {@code field} is the key of the nearest enclosing member (null at the top), so an error in the value
     * can name the configuration field it belongs to.
     */
    private Object value(String what, String field) {
        skipWs();
        return switch (peek()) {
            case '{' -> object();
            case '[' -> array(field);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE, what);
            case 'f' -> literal("false", Boolean.FALSE, what);
            case 'n' -> literal("null", null, what);
            case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> number(field);
            default -> throw expected(what);
        };
    }

    private Map<String, Object> object() {
        enter();
        Map<String, Object> map = new LinkedHashMap<>();
        skipWs();
        if (!eat('}')) {
            String wanted = "a string key or '}'";
            do {
                skipWs();
                if (peek() != '"') {
                    throw expected(wanted);
                }
                int keyAt = pos;
                String key = string();
                // Checked before the value so the error points at the repeated key.
                if (map.containsKey(key)) {
                    throw JsonException.at(s, keyAt, "duplicate key \"" + JsonWriter.escape(key) + "\"", "");
                }
                skipWs();
                if (!eat(':')) {
                    throw expected("':' after object key");
                }
                map.put(key, value("a JSON value after ':'", key));
                skipWs();
                wanted = "a string key after ','";
            } while (eat(','));
            if (!eat('}')) {
                throw expected("',' or '}' after object member");
            }
        }
        depth--;
        return map;
    }

    private List<Object> array(String field) {
        enter();
        List<Object> list = new ArrayList<>();
        skipWs();
        if (!eat(']')) {
            String wanted = "a JSON value or ']'";
            do {
                list.add(value(wanted, field));
                skipWs();
                wanted = "a JSON value after ','";
            } while (eat(','));
            if (!eat(']')) {
                throw expected("',' or ']' after array element");
            }
        }
        depth--;
        return list;
    }

    /** Consumes '{' or '['; the depth cap keeps hostile input from overflowing the stack. */
    private void enter() {
        if (++depth > Json.MAX_DEPTH) {
            throw JsonException.at(s, pos, "nesting deeper than " + Json.MAX_DEPTH + " levels", "");
        }
        pos++;
    }

    private Object literal(String word, Object result, String what) {
        if (!s.startsWith(word, pos)) {
            throw expected(what);
        }
        pos += word.length();
        return result;
    }

    private String string() {
        int start = pos++;
        // Fast path: config strings rarely hold escapes, so usually one substring suffices.
        int i = pos;
        char c = 0;
        while (i < n && (c = s.charAt(i)) != '"' && c != '\\' && c >= 0x20) {
            i++;
        }
        if (i < n && c == '"') {
            pos = i + 1;
            return s.substring(start + 1, i);
        }
        StringBuilder sb = new StringBuilder(i - pos + 16).append(s, pos, i);
        for (pos = i; pos < n; pos++) {
            c = s.charAt(pos);
            if (c == '"') {
                pos++;
                return sb.toString();
            } else if (c == '\\') {
                pos++;
                sb.append(escape());
            } else if (c < 0x20) {
                throw JsonException.at(s, pos, "unescaped control character " + hex(c) + " in string", "");
            } else {
                sb.append(c); // lone surrogates pass through unchanged
            }
        }
        throw JsonException.at(s, start, "unterminated string", "");
    }

    /** Decodes the escape after a backslash, leaving pos on its last char. */
    private char escape() {
        int simple = "\"\\/bfnrt".indexOf(peek());
        if (simple >= 0) {
            return "\"\\/\b\f\n\r\t".charAt(simple);
        }
        if (peek() != 'u') {
            throw expected("one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u after '\\'");
        }
        int v = 0;
        for (int k = 0; k < 4; k++) {
            pos++;
            int d = peek() < 0x80 ? Character.digit(peek(), 16) : -1; // ASCII only, not Unicode digits
            if (d < 0) {
                throw expected("4 hex digits after \\u");
            }
            v = (v << 4) | d;
        }
        return (char) v; // a surrogate half is kept as-is, paired or not
    }

    private Object number(String field) {
        int start = pos;
        eat('-');
        int intStart = pos;
        if (eat('0')) {
            if (isDigit(peek())) {
                throw JsonException.at(s, intStart, "leading zeros are not allowed in numbers", "");
            }
        } else if (!digits()) {
            throw expected("a digit after '-'");
        }
        int intEnd = pos;
        if (eat('.') && !digits()) {
            throw expected("a digit after '.'");
        }
        if (eat('e') || eat('E')) {
            if (!eat('+')) {
                eat('-');
            }
            if (!digits()) {
                throw expected("a digit in the exponent");
            }
        }
        // Converting digits to a BigDecimal costs time quadratic in their number (a million take half a
        // minute), so an absurdly long number is refused before any conversion, naming its field.
        if (pos - start > Json.MAX_NUMBER_LENGTH) {
            throw JsonException.at(s, start, (field == null ? "a number" : "the number in \"" + JsonWriter.escape(field) + "\"")
                    + " is " + (pos - start) + " characters long; numbers longer than " + Json.MAX_NUMBER_LENGTH
                    + " characters are refused", "");
        }
        if (pos == intEnd && intEnd - intStart <= 18) { // 18 digits cannot overflow a long
            return Long.parseLong(s, start, pos, 10);
        }
        try {
            BigDecimal d = new BigDecimal(s.substring(start, pos));
            // No ?: here: its Long/BigDecimal merge makes the verifier load BigDecimal at start-up.
            if (pos == intEnd && d.unscaledValue().bitLength() < 64) {
                return d.longValue();
            }
            return d;
        } catch (NumberFormatException e) { // exponent beyond BigDecimal's int scale
            throw JsonException.at(s, start, "number out of range", "");
        }
    }

    private boolean digits() {
        int from = pos;
        while (isDigit(peek())) {
            pos++;
        }
        return pos > from;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private void skipWs() {
        for (char c = peek(); c == ' ' || c == '\n' || c == '\r' || c == '\t'; c = peek()) {
            pos++;
        }
    }

    /** The current char, or NUL at the end (callers never look for NUL, so it cannot match). */
    private char peek() {
        return pos < n ? s.charAt(pos) : 0;
    }

    private boolean eat(char c) {
        if (peek() != c) {
            return false;
        }
        pos++;
        return true;
    }

    private JsonException expected(String what) {
        return JsonException.at(s, pos, "expected " + what, " but found " + describe());
    }

    /** The offending input at pos, readable even when it is invisible or a multi-char word. */
    private String describe() {
        if (pos >= n) {
            return "end of input";
        }
        char c = s.charAt(pos);
        int end = pos + 1;
        if (Character.isHighSurrogate(c) && end < n && Character.isLowSurrogate(s.charAt(end))) {
            end++;
        } else if (c < 0x20 || c == 0x7f || c == 0xfeff || Character.isSurrogate(c)) {
            return hex(c);
        } else if (Character.isLetter(c)) { // tru, NaN, undefined: show the whole word
            while (end < n && end - pos < 16 && Character.isLetterOrDigit(s.charAt(end))) {
                end++;
            }
        }
        return "'" + s.substring(pos, end) + "'";
    }

    private static String hex(char c) {
        return "U+" + Integer.toHexString(0x10000 | c).substring(1).toUpperCase();
    }
}
