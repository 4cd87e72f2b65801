package io.vpccni.cni.hpack;

import static io.vpccni.cni.hpack.HpackRfcExamplesTest.assertTable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Decoder behaviour beyond the RFC examples: malformed input, limits, table size updates. */
class HpackDecoderTest {

    @Test
    void rejectsTruncatedIndex() {
        // 0xff: indexed, 7-bit prefix all ones, so a continuation octet must follow.
        var e = fails(new HpackDecoder(4096), "82 ff");
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertEquals(1, e.offset());
        assertTrue(e.isConnectionError());
    }

    @Test
    void rejectsIndexOverflow() {
        var e = fails(new HpackDecoder(4096), "ff ff ff ff ff 0f");
        assertTrue(e.getMessage().contains("overflows"), e.getMessage());
    }

    @Test
    void rejectsIndexZero() {
        var e = fails(new HpackDecoder(4096), "82 80");
        assertEquals("index 0 is not a valid table index at offset 1", e.getMessage());
    }

    @Test
    void rejectsIndexBeyondTables() throws HpackException {
        var e = fails(new HpackDecoder(4096), "be");
        assertEquals("index 62 is beyond the static table (61) and the dynamic table (0 entries) at offset 0", e.getMessage());
        // An indexed name beyond the tables, in a literal with incremental indexing.
        fails(new HpackDecoder(4096), "7e 01 78");
        // One entry makes 62 valid and 63 not.
        var d = new HpackDecoder(4096);
        ok(d, "40 01 61 01 62");
        assertEquals(List.of(new HeaderField("a", "b")), ok(d, "be"));
        assertEquals(1, fails(d, "82 bf").offset());
    }

    @Test
    void rejectsStringsThatOverrunTheBlock() {
        var e = fails(new HpackDecoder(4096), "04 0c 2f73");
        assertTrue(e.getMessage().contains("overruns"), e.getMessage());
        assertEquals(1, e.offset());
        var missing = fails(new HpackDecoder(4096), "40 01 61");
        assertTrue(missing.getMessage().contains("string literal should start"), missing.getMessage());
        assertEquals(3, missing.offset());
    }

    @Test
    void rejectsBadHuffmanInABlock() {
        // :path with a 1-octet Huffman value 0x18: 'a' then padding 000.
        var e = fails(new HpackDecoder(4096), "04 81 18");
        assertTrue(e.getMessage().contains("padding"), e.getMessage());
        assertEquals(2, e.offset());
        // 'a' then 11 one bits: padding too long.
        fails(new HpackDecoder(4096), "04 82 1f ff");
        // EOS inside the value.
        var eos = HuffmanTestEncoder.literal(HuffmanTestEncoder.encodeSymbols(new int[] {'a', Huffman.EOS}, 0));
        var block = concat(Hex.bytes("04"), eos);
        var e2 = assertThrows(HpackException.class, () -> new HpackDecoder(4096).decode(block));
        assertTrue(e2.getMessage().contains("EOS"), e2.getMessage());
    }

    @Test
    void sizeUpdateUpToTheLimitIsAccepted() throws HpackException {
        var d = new HpackDecoder(4096);
        ok(d, "40 01 61 01 62");
        // 3f e1 1f = 31 + 97 + 31*128 = 4096.
        ok(d, "3f e1 1f 82");
        assertEquals(4096, d.dynamicTable().capacity());
        // Several updates may open a block; the last one sets the capacity; shrinking to 0 empties the table.
        ok(d, "20 3f 45 82");
        assertEquals(100, d.dynamicTable().capacity());
        assertTable(d, 0);
    }

    @Test
    void rejectsSizeUpdateAboveTheLimit() {
        var e = fails(new HpackDecoder(4096), "3f e2 1f");
        assertEquals("dynamic table size update to 4097 exceeds the limit of 4096 at offset 0", e.getMessage());
        fails(new HpackDecoder(256, 4096), "3f e2 01"); // 257
    }

    @Test
    void rejectsSizeUpdateAfterAField() {
        var e = fails(new HpackDecoder(4096), "82 20");
        assertEquals("dynamic table size update after a header field at offset 1", e.getMessage());
    }

    @Test
    void requiresSizeUpdateAfterTheLimitShrinks() throws HpackException {
        var d = new HpackDecoder(4096);
        ok(d, "40 01 61 01 62");
        d.setMaxTableSize(100);
        var e = fails(d, "82");
        assertTrue(e.getMessage().contains("size update owed"), e.getMessage());
        // 3f 45 = 100: acknowledged, and the entry (size 34) still fits.
        assertEquals(List.of(new HeaderField("a", "b")), ok(d, "3f 45 be"));
        assertTable(d, 34, "a", "b");
        fails(d, "3f 46"); // 101 is now over the limit
        // Raising the limit obliges nothing.
        d.setMaxTableSize(8192);
        ok(d, "82");
    }

    @Test
    void evictsAndRejectsOversizedEntries() throws HpackException {
        var d = new HpackDecoder(64, 4096);
        ok(d, "40 01 61 01 62"); // 34
        ok(d, "40 01 63 01 64"); // 34: evicts a:b
        assertTable(d, 34, "c", "d");
        // An entry of size 1 + 32 + 32 = 65 > 64: the table empties and nothing is added (§4.4).
        var value = "x".repeat(32);
        var block = concat(Hex.bytes("40 01 65 20"), value.getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(List.of(new HeaderField("e", value)), d.decode(block));
        assertTable(d, 0);
    }

    @Test
    void literalNameThenIndexedNameReferringToTheEntryJustEvicted() throws HpackException {
        // Table holds exactly one 34-octet entry. A literal with incremental indexing whose name is index 62
        // (that entry) evicts it on insertion; the name must be resolved before the eviction.
        var d = new HpackDecoder(34, 4096);
        ok(d, "40 01 61 01 62");
        assertEquals(List.of(new HeaderField("a", "c")), ok(d, "7e 01 63"));
        assertTable(d, 34, "a", "c");
    }

    @Test
    void headerListTooLargeKeepsTheTableInSync() throws HpackException {
        var d = new HpackDecoder(4096, 100);
        // :method: GET (42) + :authority: hash (46) = 88 octets fit; custom-key: custom-value (54) does not.
        var e = fails(d, "82 4104 6861 7368 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65 84");
        assertFalse(e.isConnectionError());
        assertEquals(7, e.offset());
        assertTrue(e.getMessage().startsWith("header list exceeds the limit of 100 octets"), e.getMessage());
        // The oversized block was still decoded to its end, so its insertion is in the table.
        assertTable(d, 54 + 46, "custom-key", "custom-value", ":authority", "hash");
        assertEquals(List.of(new HeaderField("custom-key", "custom-value")), ok(d, "be"));
    }

    @Test
    void headerListLimitStopsIndexAmplification() throws HpackException {
        // A 4,000-octet entry referenced by one-octet indices would make a tiny block expand enormously.
        var d = new HpackDecoder(4096, 16 * 1024);
        var value = "v".repeat(4000);
        var out = new ByteArrayOutputStream();
        out.writeBytes(Hex.bytes("40 01 76 7f a1 1e")); // literal name "v", value length 127 + 0x21 + 0x1e*128 = 4000
        out.writeBytes(value.getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < 1000; i++) {
            out.write(0xbe);
        }
        var e = assertThrows(HpackException.class, () -> d.decode(out.toByteArray()));
        assertFalse(e.isConnectionError());
        // Each reference adds 4,033 octets: the fourth reference (fifth field) crosses 16 KiB.
        assertEquals(4006 + 3, e.offset());
    }

    @Test
    void exactlyAtTheHeaderListLimitIsAccepted() throws HpackException {
        assertEquals(1, ok(new HpackDecoder(4096, 42), "82").size());
        assertFalse(fails(new HpackDecoder(4096, 41), "82").isConnectionError());
    }

    @Test
    void decodesBuffersAndSlices() throws HpackException {
        var bytes = Hex.bytes("ff 82 86 ff");
        assertEquals(List.of(new HeaderField(":method", "GET"), new HeaderField(":scheme", "http")),
                new HpackDecoder(4096).decode(bytes, 1, 2));
        var direct = ByteBuffer.allocateDirect(4).put(bytes).position(1).limit(3);
        assertEquals(2, new HpackDecoder(4096).decode(direct).size());
        assertEquals(3, direct.position());
        var heap = ByteBuffer.wrap(bytes, 1, 2).slice();
        assertEquals(2, new HpackDecoder(4096).decode(heap).size());
        assertEquals(2, heap.position());
        assertEquals(List.of(), new HpackDecoder(4096).decode(new byte[0]));
    }

    @Test
    void errorOffsetsAreRelativeToTheBlock() {
        var bytes = Hex.bytes("00 00 00 82 80");
        var e = assertThrows(HpackException.class, () -> new HpackDecoder(4096).decode(bytes, 3, 2));
        assertEquals(1, e.offset());
    }

    @Test
    void valuesKeepEveryOctet() throws HpackException {
        // Values are octets; ISO-8859-1 maps each to the char of the same number, including >= 0x80.
        var out = new ByteArrayOutputStream();
        out.writeBytes(Hex.bytes("00 01 76 7f 81 01")); // literal name "v", value length 127 + 129 = 256
        for (int i = 0; i < 256; i++) {
            out.write(i);
        }
        var value = ok(new HpackDecoder(4096), Hex.string(out.toByteArray())).get(0).value();
        assertEquals(256, value.length());
        for (int i = 0; i < 256; i++) {
            assertEquals(i, value.charAt(i));
        }
    }

    private static List<HeaderField> ok(HpackDecoder d, String hex) throws HpackException {
        return d.decode(Hex.bytes(hex));
    }

    private static HpackException fails(HpackDecoder d, String hex) {
        return assertThrows(HpackException.class, () -> d.decode(Hex.bytes(hex)));
    }

    static byte[] concat(byte[] a, byte[] b) {
        var out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
