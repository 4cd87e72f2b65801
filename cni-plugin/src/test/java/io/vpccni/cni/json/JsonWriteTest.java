package io.vpccni.cni.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonWriteTest {

    static Stream<Arguments> values() {
        return Stream.of(
                Arguments.of(null, "null"),
                Arguments.of(true, "true"),
                Arguments.of(false, "false"),
                Arguments.of(0L, "0"),
                Arguments.of(Long.MIN_VALUE, "-9223372036854775808"),
                Arguments.of(42, "42"),
                Arguments.of((short) 7, "7"),
                Arguments.of(new BigInteger("123456789012345678901234567890"), "123456789012345678901234567890"),
                Arguments.of(new BigDecimal("1.50"), "1.50"),
                Arguments.of(new BigDecimal("1e400"), "1E+400"),
                Arguments.of(new BigDecimal("-1e-400"), "-1E-400"),
                Arguments.of("", "\"\""),
                Arguments.of("a\"b\\c/d", "\"a\\\"b\\\\c/d\""),
                Arguments.of("h\u00e9llo \u20ac \ud83d\ude00", "\"h\u00e9llo \u20ac \ud83d\ude00\""),
                Arguments.of("lone \ud800 and \udc00", "\"lone \\ud800 and \\udc00\""),
                Arguments.of("swapped \udc00\ud800", "\"swapped \\udc00\\ud800\""),
                Arguments.of("\u007f\u2028", "\"\u007f\u2028\""),
                Arguments.of(List.of(), "[]"),
                Arguments.of(Map.of(), "{}"),
                Arguments.of(Arrays.asList(1L, null, "x", List.of(true)), "[1,null,\"x\",[true]]"),
                Arguments.of(ordered("z", 1L, "a", null, "m", Map.of("k", List.of())), "{\"z\":1,\"a\":null,\"m\":{\"k\":[]}}"),
                Arguments.of(ordered("b", 2L, "a", 1L), "{\"b\":2,\"a\":1}"));
    }

    @ParameterizedTest
    @MethodSource("values")
    void writesCompactJson(Object value, String json) {
        assertEquals(json, Json.write(value));
    }

    static Stream<Arguments> controlCharacters() {
        return IntStream.range(0, 0x20).mapToObj(c -> Arguments.of((char) c, switch (c) {
            case '\b' -> "\\b";
            case '\t' -> "\\t";
            case '\n' -> "\\n";
            case '\f' -> "\\f";
            case '\r' -> "\\r";
            default -> String.format("\\u%04x", c);
        }));
    }

    @ParameterizedTest
    @MethodSource("controlCharacters")
    void escapesEveryControlCharacter(char c, String escape) {
        String s = "a" + c + "b";
        assertEquals("\"a" + escape + "b\"", Json.write(s));
        assertEquals(s, Json.parse(Json.write(s)));
    }

    static Stream<Object> roundTripValues() {
        StringBuilder allControls = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            allControls.append(c);
        }
        Map<String, Object> netconf = ordered(
                "cniVersion", "1.0.0",
                "mtu", 9001L,
                "ratio", new BigDecimal("0.125"),
                "huge", new BigDecimal("1E+400"),
                "beyondLong", new BigDecimal("9223372036854775808"),
                "tiny", new BigDecimal("-4.9E-324"),
                "flags", Arrays.asList(true, false, null),
                "nested", ordered("a", ordered("b", ordered("c", List.of(List.of(List.of())))), "e", Map.of()),
                "controls", allControls.toString(),
                "quotes", "\"'\\/",
                "unicode", "\u00e9\u4e2d\ud83d\ude00",
                "lone", "\ud800x\udfff",
                "", "empty key",
                "\n\"key\"\u0000", "odd key");
        return Stream.of(netconf, List.of(netconf, List.of(netconf)), "just a string", Long.MAX_VALUE,
                new ArrayList<>(), Arrays.asList((Object) null));
    }

    @ParameterizedTest
    @MethodSource("roundTripValues")
    void roundTripsThroughParse(Object value) {
        String json = Json.write(value);
        assertEquals(value, Json.parse(json));
        assertEquals(json, Json.write(Json.parse(json)), "writing is deterministic");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eni12ab\",\"mac\":\"aa:bb:cc:dd:ee:ff\"}],"
                + "\"ips\":[{\"address\":\"10.0.1.5/32\",\"interface\":1,\"gateway\":\"169.254.1.1\"}],\"dns\":{}}",
        "{\"code\":7,\"msg\":\"add cmd: failed\",\"details\":\"line1\\nline2 \\\"q\\\"\"}",
        "[1.0,-0.5,1E+400,12345678901234567890,-9223372036854775808,null,true,\"\\u0000\"]"})
    void compactDocumentsAreRewrittenVerbatim(String json) {
        assertEquals(json, Json.write(Json.parse(json)));
    }

    @Test
    void rejectsUnsupportedTypes() {
        assertEquals("cannot write java.lang.Double as JSON",
                assertThrows(IllegalArgumentException.class, () -> Json.write(1.5d)).getMessage());
        assertEquals("cannot write java.lang.Float as JSON",
                assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(1.5f))).getMessage());
        assertEquals("cannot write java.util.Date as JSON",
                assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of("d", new Date(0)))).getMessage());
        assertEquals("JSON object keys must be strings, found java.lang.Integer",
                assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, "x"))).getMessage());
        Map<Object, Object> nullKey = new LinkedHashMap<>();
        nullKey.put(null, 1);
        assertEquals("JSON object keys must be strings, found null",
                assertThrows(IllegalArgumentException.class, () -> Json.write(nullKey)).getMessage());
    }

    @Test
    void rejectsCyclesAndExcessiveDepth() {
        List<Object> cyclic = new ArrayList<>();
        cyclic.add(cyclic);
        assertThrows(IllegalArgumentException.class, () -> Json.write(cyclic));

        Object deep = List.of();
        for (int i = 1; i < Json.MAX_DEPTH; i++) {
            deep = List.of(deep);
        }
        assertEquals("[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH), Json.write(deep));
        Object tooDeep = List.of(deep);
        assertEquals("JSON nesting deeper than 64 levels (cyclic?)",
                assertThrows(IllegalArgumentException.class, () -> Json.write(tooDeep)).getMessage());
    }

    /** A LinkedHashMap from alternating keys and values, allowing nulls unlike Map.of. */
    static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
