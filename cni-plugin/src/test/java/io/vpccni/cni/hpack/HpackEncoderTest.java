package io.vpccni.cni.hpack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HpackEncoderTest {

    @Test
    void exactStaticMatchesAreIndexed() {
        assertEncodes("82 83 84 85 86 87 88 8e 90",
                f(":method", "GET"), f(":method", "POST"), f(":path", "/"), f(":path", "/index.html"),
                f(":scheme", "http"), f(":scheme", "https"), f(":status", "200"), f(":status", "500"),
                f("accept-encoding", "gzip, deflate"));
    }

    @Test
    void staticNamesAreIndexedWithLiteralValuesWithoutIndexing() {
        // :path is index 4; :status with an unlisted value uses its first index, 8.
        assertEncodes("04 04 2f66 6f6f", f(":path", "/foo"));
        assertEncodes("08 03 3431 38", f(":status", "418"));
        // content-type is index 31: 4-bit prefix 15, then 16.
        assertEncodes("0f 10 10 6170 706c 6963 6174 696f 6e2f 6772 7063", f("content-type", "application/grpc"));
        // An empty value: accept (19) with an empty string is an exact match.
        assertEncodes("93", f("accept", ""));
    }

    @Test
    void unknownNamesAreLiteral() {
        assertEncodes("00 02 7465 08 7472 6169 6c65 7273", f("te", "trailers"));
        assertEncodes("00 01 78 00", f("x", ""));
    }

    @Test
    void grpcRequestRoundTrips() throws HpackException {
        roundTrip(List.of(f(":method", "POST"), f(":scheme", "http"), f(":path", "/rpc.CNIBackend/AddNetwork"),
                f(":authority", "localhost"), f("content-type", "application/grpc"), f("te", "trailers"),
                f("grpc-timeout", "5000m"), f("user-agent", "aws-cni/1.0.0")));
    }

    @Test
    void allOctetValuesRoundTrip() throws HpackException {
        var all = new StringBuilder();
        for (int i = 0; i < 256; i++) {
            all.append((char) i);
        }
        var fields = new ArrayList<HeaderField>();
        fields.add(f("grpc-message", all.toString()));
        fields.add(f("x-long", "y".repeat(100_000)));        // length needs a 3-octet integer
        fields.add(f(":status", ""));
        fields.add(f("x-" + all.substring(0x80), all.toString())); // names are octets too
        roundTrip(fields);
    }

    @Test
    void isStateless() throws HpackException {
        var fields = List.of(f("custom-key", "custom-value"), f(":authority", "example"));
        var first = HpackEncoder.encode(fields);
        assertArrayEquals(first, HpackEncoder.encode(fields));
        var d = new HpackDecoder(4096);
        d.decode(first);
        assertEquals(0, d.dynamicTable().length(), "the peer's dynamic table is never touched");
    }

    @Test
    void roundTripsThroughHuffmanLiteralsToo() throws HpackException {
        // The decoder's Huffman path on every representation: incremental, without, never indexed.
        var value = new byte[256];
        for (int i = 0; i < 256; i++) {
            value[i] = (byte) i;
        }
        var out = new ByteArrayOutputStream();
        out.write(0x40);
        out.writeBytes(HuffmanTestEncoder.literal(HuffmanTestEncoder.encode(bytes("custom-key"))));
        out.writeBytes(HuffmanTestEncoder.literal(HuffmanTestEncoder.encode(value)));
        out.write(0x00);
        out.writeBytes(HuffmanTestEncoder.literal(HuffmanTestEncoder.encode(bytes("x"))));
        out.writeBytes(HuffmanTestEncoder.literal(HuffmanTestEncoder.encode(bytes(""))));
        out.write(0x1f); // never indexed, name index 15 + 8 = 23 (authorization)
        out.write(0x08);
        out.writeBytes(HuffmanTestEncoder.literal(HuffmanTestEncoder.encode(bytes("Bearer x"))));
        out.write(0xbe);
        var expected = List.of(f("custom-key", new String(value, StandardCharsets.ISO_8859_1)), f("x", ""),
                f("authorization", "Bearer x"), f("custom-key", new String(value, StandardCharsets.ISO_8859_1)));
        assertEquals(expected, new HpackDecoder(4096).decode(out.toByteArray()));
    }

    @Test
    void rejectsFieldsHttp2CannotCarry() {
        assertThrows(IllegalArgumentException.class, () -> HpackEncoder.encode(List.of(f("Content-Type", "x"))));
        assertThrows(IllegalArgumentException.class, () -> HpackEncoder.encode(List.of(f("", "x"))));
        assertThrows(IllegalArgumentException.class, () -> HpackEncoder.encode(List.of(f("x", "\u20ac"))));
        assertThrows(NullPointerException.class, () -> f("x", null));
    }

    @Test
    void emptyListIsAnEmptyBlock() {
        assertEquals(0, HpackEncoder.encode(List.of()).length);
    }

    private static void roundTrip(List<HeaderField> fields) throws HpackException {
        var block = HpackEncoder.encode(fields);
        assertEquals(fields, new HpackDecoder(4096, Integer.MAX_VALUE).decode(block));
    }

    private static void assertEncodes(String hex, HeaderField... fields) {
        assertEquals(hex.replace(" ", ""), Hex.string(HpackEncoder.encode(List.of(fields))));
    }

    private static HeaderField f(String name, String value) {
        return new HeaderField(name, value);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
