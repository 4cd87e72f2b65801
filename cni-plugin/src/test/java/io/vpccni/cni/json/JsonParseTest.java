package io.vpccni.cni.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonParseTest {

    static Stream<Arguments> validDocuments() {
        return Stream.of(
                Arguments.of("0", 0L),
                Arguments.of("-0", 0L),
                Arguments.of("123", 123L),
                Arguments.of("-123", -123L),
                Arguments.of("123456789012345678", 123456789012345678L),
                Arguments.of("9223372036854775807", Long.MAX_VALUE),
                Arguments.of("-9223372036854775808", Long.MIN_VALUE),
                Arguments.of("9223372036854775808", new BigDecimal("9223372036854775808")),
                Arguments.of("-9223372036854775809", new BigDecimal("-9223372036854775809")),
                Arguments.of("123456789012345678901234567890", new BigDecimal("123456789012345678901234567890")),
                Arguments.of("-0.0", new BigDecimal("-0.0")),
                Arguments.of("0.1", new BigDecimal("0.1")),
                Arguments.of("1.0", new BigDecimal("1.0")),
                Arguments.of("1.5", new BigDecimal("1.5")),
                Arguments.of("-2.25e-3", new BigDecimal("-0.00225")),
                Arguments.of("1E+2", new BigDecimal("1E+2")),
                Arguments.of("1e400", new BigDecimal("1e400")),
                Arguments.of("1e-400", new BigDecimal("1e-400")),
                Arguments.of("0e0", new BigDecimal("0")),
                Arguments.of("true", true),
                Arguments.of("false", false),
                Arguments.of("\"\"", ""),
                Arguments.of("\"aws-cni\"", "aws-cni"),
                Arguments.of("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\/\b\f\n\r\t"),
                Arguments.of("\"a\\/b\"", "a/b"),
                Arguments.of("\"\\u0041\\u00e9\\u20AC\"", "A\u00e9\u20ac"),
                Arguments.of("\"\\u0000\\u001f\\u001F\"", "\u0000\u001f\u001f"),
                Arguments.of("\"\\ud83d\\ude00\"", "\ud83d\ude00"),
                Arguments.of("\"\\uD800\"", "\ud800"),
                Arguments.of("\"x\\udc00y\"", "x\udc00y"),
                Arguments.of("\"raw \ud800 lone\"", "raw \ud800 lone"),
                Arguments.of("\"h\u00e9llo \ud83d\ude00\"", "h\u00e9llo \ud83d\ude00"),
                Arguments.of("\"tab\\tthen \\\"quote\\\"\"", "tab\tthen \"quote\""),
                Arguments.of(" \t\r\n 42 \n", 42L),
                Arguments.of("[]", List.of()),
                Arguments.of("{}", Map.of()),
                Arguments.of("[1, \"a\", true, 2.5]", List.of(1L, "a", true, new BigDecimal("2.5"))),
                Arguments.of("[[[]], {}]", List.of(List.of(List.of()), Map.of())),
                Arguments.of("{\"a\":{\"b\":[1,{\"c\":\"d\"}]}}",
                        Map.of("a", Map.of("b", List.of(1L, Map.of("c", "d"))))),
                Arguments.of(" { \"k\" : [ 1 , 2 ] } ", Map.of("k", List.of(1L, 2L))));
    }

    @ParameterizedTest
    @MethodSource("validDocuments")
    void parsesValidDocuments(String json, Object expected) {
        assertEquals(expected, Json.parse(json));
    }

    static Stream<Arguments> invalidDocuments() {
        return Stream.of(
                Arguments.of("", "expected a JSON value at line 1, column 1 (offset 0) but found end of input", 1, 1),
                Arguments.of("  \n ", "expected a JSON value at line 2, column 2 (offset 4) but found end of input", 2, 2),
                Arguments.of("1 2", "expected end of input after the top-level value at line 1, column 3 (offset 2) but found '2'", 1, 3),
                Arguments.of("{}x", "expected end of input after the top-level value at line 1, column 3 (offset 2) but found 'x'", 1, 3),
                Arguments.of("[1,]", "expected a JSON value after ',' at line 1, column 4 (offset 3) but found ']'", 1, 4),
                Arguments.of("{\"a\":1,}", "expected a string key after ',' at line 1, column 8 (offset 7) but found '}'", 1, 8),
                Arguments.of("{\"a\":1 \"b\":2}", "expected ',' or '}' after object member at line 1, column 8 (offset 7) but found '\"'", 1, 8),
                Arguments.of("[1 2]", "expected ',' or ']' after array element at line 1, column 4 (offset 3) but found '2'", 1, 4),
                Arguments.of("[", "expected a JSON value or ']' at line 1, column 2 (offset 1) but found end of input", 1, 2),
                Arguments.of("[1", "expected ',' or ']' after array element at line 1, column 3 (offset 2) but found end of input", 1, 3),
                Arguments.of("{", "expected a string key or '}' at line 1, column 2 (offset 1) but found end of input", 1, 2),
                Arguments.of("{1:2}", "expected a string key or '}' at line 1, column 2 (offset 1) but found '1'", 1, 2),
                Arguments.of("{\"a\" 1}", "expected ':' after object key at line 1, column 6 (offset 5) but found '1'", 1, 6),
                Arguments.of("{\"a\":}", "expected a JSON value after ':' at line 1, column 6 (offset 5) but found '}'", 1, 6),
                Arguments.of("// comment\n1", "expected a JSON value at line 1, column 1 (offset 0) but found '/'", 1, 1),
                Arguments.of("[1] /* c */", "expected end of input after the top-level value at line 1, column 5 (offset 4) but found '/'", 1, 5),
                Arguments.of("'a'", "expected a JSON value at line 1, column 1 (offset 0) but found '''", 1, 1),
                Arguments.of("{'a':1}", "expected a string key or '}' at line 1, column 2 (offset 1) but found '''", 1, 2),
                Arguments.of("01", "leading zeros are not allowed in numbers at line 1, column 1 (offset 0)", 1, 1),
                Arguments.of("-012", "leading zeros are not allowed in numbers at line 1, column 2 (offset 1)", 1, 2),
                Arguments.of("-", "expected a digit after '-' at line 1, column 2 (offset 1) but found end of input", 1, 2),
                Arguments.of("-a", "expected a digit after '-' at line 1, column 2 (offset 1) but found 'a'", 1, 2),
                Arguments.of("1.", "expected a digit after '.' at line 1, column 3 (offset 2) but found end of input", 1, 3),
                Arguments.of("1.e5", "expected a digit after '.' at line 1, column 3 (offset 2) but found 'e5'", 1, 3),
                Arguments.of("1e", "expected a digit in the exponent at line 1, column 3 (offset 2) but found end of input", 1, 3),
                Arguments.of("1e+", "expected a digit in the exponent at line 1, column 4 (offset 3) but found end of input", 1, 4),
                Arguments.of("+1", "expected a JSON value at line 1, column 1 (offset 0) but found '+'", 1, 1),
                Arguments.of(".5", "expected a JSON value at line 1, column 1 (offset 0) but found '.'", 1, 1),
                Arguments.of("1e9999999999", "number out of range at line 1, column 1 (offset 0)", 1, 1),
                Arguments.of("NaN", "expected a JSON value at line 1, column 1 (offset 0) but found 'NaN'", 1, 1),
                Arguments.of("[Infinity]", "expected a JSON value or ']' at line 1, column 2 (offset 1) but found 'Infinity'", 1, 2),
                Arguments.of("tru", "expected a JSON value at line 1, column 1 (offset 0) but found 'tru'", 1, 1),
                Arguments.of("True", "expected a JSON value at line 1, column 1 (offset 0) but found 'True'", 1, 1),
                Arguments.of("nul", "expected a JSON value at line 1, column 1 (offset 0) but found 'nul'", 1, 1),
                Arguments.of("truex", "expected end of input after the top-level value at line 1, column 5 (offset 4) but found 'x'", 1, 5),
                Arguments.of("\"abc", "unterminated string at line 1, column 1 (offset 0)", 1, 1),
                Arguments.of("[\"abc\\", "expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u after '\\' at line 1, column 7 (offset 6) but found end of input", 1, 7),
                Arguments.of("\"\\x\"", "expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u after '\\' at line 1, column 3 (offset 2) but found 'x'", 1, 3),
                Arguments.of("\"\\'\"", "expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u after '\\' at line 1, column 3 (offset 2) but found '''", 1, 3),
                Arguments.of("\"\\u12G4\"", "expected 4 hex digits after \\u at line 1, column 6 (offset 5) but found 'G4'", 1, 6),
                Arguments.of("\"\\u\uff10041\"", "expected 4 hex digits after \\u at line 1, column 4 (offset 3) but found '\uff10'", 1, 4),
                Arguments.of("\"\\u12\u0663\u0663\"", "expected 4 hex digits after \\u at line 1, column 6 (offset 5) but found '\u0663'", 1, 6),
                Arguments.of("[\u0661]", "expected a JSON value or ']' at line 1, column 2 (offset 1) but found '\u0661'", 1, 2),
                Arguments.of("\"\\u12\"", "expected 4 hex digits after \\u at line 1, column 6 (offset 5) but found '\"'", 1, 6),
                Arguments.of("\"a\nb\"", "unescaped control character U+000A in string at line 1, column 3 (offset 2)", 1, 3),
                Arguments.of("\"ab\\n\u0001\"", "unescaped control character U+0001 in string at line 1, column 6 (offset 5)", 1, 6),
                Arguments.of("\"\t\"", "unescaped control character U+0009 in string at line 1, column 2 (offset 1)", 1, 2),
                Arguments.of("\ufeff{}", "expected a JSON value at line 1, column 1 (offset 0) but found U+FEFF", 1, 1),
                Arguments.of("\u00a0{}", "expected a JSON value at line 1, column 1 (offset 0) but found '\u00a0'", 1, 1),
                Arguments.of("{\"mtu\":1,\n \"mtu\":2}", "duplicate key \"mtu\" at line 2, column 2 (offset 11)", 2, 2),
                Arguments.of("{\"a\\n\":1,\"a\\u000a\":2}", "duplicate key \"a\\n\" at line 1, column 10 (offset 9)", 1, 10),
                Arguments.of("{\n  \"a\": 1,\n  \"b\": [true, null]\n  \"c\": 3\n}",
                        "expected ',' or '}' after object member at line 4, column 3 (offset 34) but found '\"'", 4, 3),
                // Too long to convert cheaply: refused before any conversion, naming the nearest key.
                Arguments.of("{\"mtu\":" + "9".repeat(1_000_000) + "}", "the number in \"mtu\" is 1000000 characters long; "
                        + "numbers longer than 100 characters are refused at line 1, column 8 (offset 7)", 1, 8),
                Arguments.of("{\"a\":{\"b\":1},\"ports\":[1, -0." + "5".repeat(98) + "]}", "the number in \"ports\" is 101 characters long; "
                        + "numbers longer than 100 characters are refused at line 1, column 26 (offset 25)", 1, 26),
                Arguments.of("1e" + "0".repeat(99), "a number is 101 characters long; "
                        + "numbers longer than 100 characters are refused at line 1, column 1 (offset 0)", 1, 1));
    }

    @ParameterizedTest
    @MethodSource("invalidDocuments")
    void rejectsInvalidDocumentsWithPosition(String json, String message, int line, int column) {
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(json));
        assertEquals(message, e.getMessage());
        assertEquals(line, e.line());
        assertEquals(column, e.column());
        assertEquals(message.substring(message.indexOf("(offset ") + 8, message.indexOf(')', message.indexOf("(offset "))),
                String.valueOf(e.offset()));
    }

    @Test
    void aNumberOfTheLongestAcceptedLengthIsParsed() {
        assertEquals(new BigDecimal("1" + "0".repeat(99)), Json.parse("1" + "0".repeat(99)));
    }

    @Test
    void numbersAreExactAndTyped() {
        assertInstanceOf(Long.class, Json.parse("9001"));
        assertInstanceOf(BigDecimal.class, Json.parse("9223372036854775808"));
        BigDecimal big = (BigDecimal) Json.parse("1e400");
        assertEquals(0, big.compareTo(BigDecimal.TEN.pow(400)));
        BigDecimal pi = (BigDecimal) Json.parse("3.14159265358979323846264338327950288");
        assertEquals("3.14159265358979323846264338327950288", pi.toPlainString());
        // Negative zero: integral zero is just 0; a fractional one is an exact BigDecimal zero.
        assertEquals(0L, Json.parse("-0"));
        assertEquals(0, ((BigDecimal) Json.parse("-0.0")).signum());
        assertEquals(1, ((BigDecimal) Json.parse("-0.0")).scale());
    }

    @Test
    void objectsKeepDocumentOrderAndNullMembers() {
        Object v = Json.parse("{\"z\":1,\"a\":null,\"m\":[null]}");
        Map<?, ?> map = assertInstanceOf(LinkedHashMap.class, v);
        assertEquals(List.of("z", "a", "m"), new ArrayList<>(map.keySet()));
        assertNull(map.get("a"));
        assertEquals(true, map.containsKey("a"));
        assertEquals(Arrays.asList((Object) null), map.get("m"));
        assertNull(Json.parse("null"));
        assertNull(Json.parse(" null "));
    }

    @Test
    void depthLimitAllowsExactlyMaxDepth() {
        int max = Json.MAX_DEPTH;
        assertInstanceOf(List.class, Json.parse("[".repeat(max) + "]".repeat(max)));
        assertInstanceOf(Map.class, Json.parse("{\"a\":".repeat(max - 1) + "{}" + "}".repeat(max - 1)));

        JsonException e = assertThrows(JsonException.class,
                () -> Json.parse("[".repeat(max + 1) + "]".repeat(max + 1)));
        assertEquals("nesting deeper than 64 levels at line 1, column 65 (offset 64)", e.getMessage());
        e = assertThrows(JsonException.class, () -> Json.parse("{\"a\":[".repeat(max)));
        assertEquals("nesting deeper than 64 levels at line 1, column 193 (offset 192)", e.getMessage());
    }

    @Test
    void hostileNestingFailsCleanlyInsteadOfOverflowingTheStack() {
        JsonException e = assertThrows(JsonException.class, () -> Json.parse("[".repeat(1_000_000)));
        assertEquals(65, e.column());
    }

    @Test
    void parsesUtf8Bytes() {
        byte[] bytes = "{\"name\":\"h\u00e9 \ud83d\ude00\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals(Map.of("name", "h\u00e9 \ud83d\ude00"), Json.parse(bytes));
    }

    @Test
    void aGenuineReplacementCharacterIsNotMistakenForMalformedUtf8() {
        assertEquals(List.of("\ufffd"), Json.parse("[\"\ufffd\"]".getBytes(StandardCharsets.UTF_8)));
    }

    static Stream<Arguments> malformedUtf8() {
        return Stream.of(
                Arguments.of(new byte[] {'"', (byte) 0xC3, '"'}, 1),
                Arguments.of(new byte[] {'[', '"', (byte) 0xC0, (byte) 0x80, '"', ']'}, 2), // overlong NUL
                Arguments.of(new byte[] {'"', 'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}, 2), // encoded surrogate
                Arguments.of(new byte[] {'"', (byte) 0xFF, '"'}, 1));
    }

    @ParameterizedTest
    @MethodSource("malformedUtf8")
    void rejectsMalformedUtf8WithByteOffset(byte[] bytes, int offset) {
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(bytes));
        assertEquals("invalid UTF-8 at byte offset " + offset, e.getMessage());
    }

    @Test
    void syntaxErrorsInBytesReportCharPositions() {
        JsonException e = assertThrows(JsonException.class,
                () -> Json.parse("{\"\u00e9\":1,}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("expected a string key after ',' at line 1, column 8 (offset 7) but found '}'", e.getMessage());
    }
}
