package io.vpccni.cni.hpack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 7541 Appendix C.2 to C.6: decoded fields and the dynamic table after each block. */
class HpackRfcExamplesTest {

    // ---- C.2: single representations, each with a fresh decoder ----

    @Test
    void c21LiteralWithIndexing() throws HpackException {
        var d = new HpackDecoder(1 << 16);
        assertEquals(List.of(f("custom-key", "custom-header")),
                d.decode(Hex.bytes("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572")));
        assertTable(d, 55, "custom-key", "custom-header");
    }

    @Test
    void c22LiteralWithoutIndexing() throws HpackException {
        var d = new HpackDecoder(1 << 16);
        assertEquals(List.of(f(":path", "/sample/path")), d.decode(Hex.bytes("040c 2f73 616d 706c 652f 7061 7468")));
        assertTable(d, 0);
    }

    @Test
    void c23LiteralNeverIndexed() throws HpackException {
        var d = new HpackDecoder(1 << 16);
        assertEquals(List.of(f("password", "secret")), d.decode(Hex.bytes("1008 7061 7373 776f 7264 0673 6563 7265 74")));
        assertTable(d, 0);
    }

    @Test
    void c24Indexed() throws HpackException {
        var d = new HpackDecoder(1 << 16);
        assertEquals(List.of(f(":method", "GET")), d.decode(Hex.bytes("82")));
        assertTable(d, 0);
    }

    // ---- C.3 / C.4: three requests on one connection, without and with Huffman ----

    @Test
    void c3RequestsWithoutHuffman() throws HpackException {
        requests(new HpackDecoder(1 << 16),
                "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
                "8286 84be 5808 6e6f 2d63 6163 6865",
                "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65");
    }

    @Test
    void c4RequestsWithHuffman() throws HpackException {
        requests(new HpackDecoder(1 << 16),
                "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff",
                "8286 84be 5886 a8eb 1064 9cbf",
                "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf");
    }

    private static void requests(HpackDecoder d, String first, String second, String third) throws HpackException {
        assertEquals(List.of(f(":method", "GET"), f(":scheme", "http"), f(":path", "/"), f(":authority", "www.example.com")),
                d.decode(Hex.bytes(first)));
        assertTable(d, 57, ":authority", "www.example.com");

        assertEquals(List.of(f(":method", "GET"), f(":scheme", "http"), f(":path", "/"), f(":authority", "www.example.com"),
                f("cache-control", "no-cache")), d.decode(Hex.bytes(second)));
        assertTable(d, 110, "cache-control", "no-cache", ":authority", "www.example.com");

        assertEquals(List.of(f(":method", "GET"), f(":scheme", "https"), f(":path", "/index.html"),
                f(":authority", "www.example.com"), f("custom-key", "custom-value")), d.decode(Hex.bytes(third)));
        assertTable(d, 164, "custom-key", "custom-value", "cache-control", "no-cache", ":authority", "www.example.com");
    }

    // ---- C.5 / C.6: three responses, table size 256, with evictions ----

    @Test
    void c5ResponsesWithoutHuffman() throws HpackException {
        responses(new HpackDecoder(256, 1 << 16),
                "4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32"
                        + " 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
                "4803 3330 37c1 c0bf",
                "88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04 677a 6970"
                        + " 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d"
                        + " 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31");
    }

    @Test
    void c6ResponsesWithHuffman() throws HpackException {
        responses(new HpackDecoder(256, 1 << 16),
                "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad"
                        + " 1718 63c7 8f0b 97c8 e9ae 82ae 43d3",
                "4883 640e ffc1 c0bf",
                "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2"
                        + " e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106"
                        + " 3d50 07");
    }

    private static void responses(HpackDecoder d, String first, String second, String third) throws HpackException {
        var date1 = "Mon, 21 Oct 2013 20:13:21 GMT";
        var date2 = "Mon, 21 Oct 2013 20:13:22 GMT";
        var location = "https://www.example.com";
        var cookie = "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1";

        assertEquals(List.of(f(":status", "302"), f("cache-control", "private"), f("date", date1), f("location", location)),
                d.decode(Hex.bytes(first)));
        assertTable(d, 222, "location", location, "date", date1, "cache-control", "private", ":status", "302");

        // (":status", "302") is evicted to make room for (":status", "307").
        assertEquals(List.of(f(":status", "307"), f("cache-control", "private"), f("date", date1), f("location", location)),
                d.decode(Hex.bytes(second)));
        assertTable(d, 222, ":status", "307", "location", location, "date", date1, "cache-control", "private");

        assertEquals(List.of(f(":status", "200"), f("cache-control", "private"), f("date", date2), f("location", location),
                f("content-encoding", "gzip"), f("set-cookie", cookie)), d.decode(Hex.bytes(third)));
        assertTable(d, 215, "set-cookie", cookie, "content-encoding", "gzip", "date", date2);
    }

    private static HeaderField f(String name, String value) {
        return new HeaderField(name, value);
    }

    /** Asserts the dynamic table's size and its entries, newest first, as name/value pairs. */
    static void assertTable(HpackDecoder d, int size, String... namesAndValues) {
        var t = d.dynamicTable();
        var expected = new ArrayList<HeaderField>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            expected.add(f(namesAndValues[i], namesAndValues[i + 1]));
        }
        var actual = new ArrayList<HeaderField>();
        for (int i = 1; i <= t.length(); i++) {
            actual.add(t.get(i));
        }
        assertEquals(expected, actual);
        assertEquals(size, t.size(), "table size");
    }
}
