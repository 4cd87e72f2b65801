package io.vpccni.cni.hpack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Integer representation, RFC 7541 §5.1 and Appendix C.1. */
class HpackIntegerTest {

    @Test
    void c11TenWithFiveBitPrefix() throws HpackException {
        assertArrayEquals(new byte[] {0x0a}, encode(0, 5, 10));
        // The three high bits belong to the representation; they pass through and are masked on reading.
        assertArrayEquals(Hex.bytes("ea"), encode(0xe0, 5, 10));
        assertEquals(10, read(5, 0xea));
    }

    @Test
    void c12ThirteenThirtySevenWithFiveBitPrefix() throws HpackException {
        assertArrayEquals(Hex.bytes("1f 9a 0a"), encode(0, 5, 1337));
        assertEquals(1337, read(5, 0x1f, 0x9a, 0x0a));
        assertEquals(1337, read(5, 0xff, 0x9a, 0x0a));
    }

    @Test
    void c13FortyTwoOnAnOctetBoundary() throws HpackException {
        assertArrayEquals(new byte[] {0x2a}, encode(0, 8, 42));
        assertEquals(42, read(8, 0x2a));
    }

    @Test
    void roundTripsAtEveryPrefixAndBoundary() throws HpackException {
        int[] values = {0, 1, 126, 127, 128, 254, 255, 256, 1337, 16383, 16384, 1 << 21, (1 << 28) - 1, 1 << 28,
                Integer.MAX_VALUE - 255, Integer.MAX_VALUE - 1, Integer.MAX_VALUE};
        for (int prefix = 1; prefix <= 8; prefix++) {
            int max = (1 << prefix) - 1;
            for (int base : values) {
                for (int v : new int[] {base, Math.max(0, max - 1), max, max + 1, max + 127, max + 128}) {
                    var bytes = encode(0, prefix, v);
                    assertEquals(HpackEncoder.intLength(prefix, v), bytes.length, "length of " + v);
                    assertEquals(v, read(prefix, bytes), "prefix " + prefix + " value " + v);
                }
            }
        }
    }

    @Test
    void rejectsEmptyInput() {
        var e = assertThrows(HpackException.class, () -> read(5));
        assertTrue(e.getMessage().contains("block ends"), e.getMessage());
    }

    @Test
    void rejectsTruncatedInteger() {
        var e = assertThrows(HpackException.class, () -> read(5, 0x1f));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertEquals(0, e.offset());
        assertThrows(HpackException.class, () -> read(5, 0x1f, 0x9a));
    }

    @Test
    void rejectsIntegerAboveIntMax() throws HpackException {
        // 31 + 127 + 127*2^7 + 127*2^14 + 127*2^21 + 7*2^28 = 2^31 + 30.
        var e = assertThrows(HpackException.class,
                () -> read(5, 0x1f, 0xff, 0xff, 0xff, 0xff, 0x07));
        assertTrue(e.getMessage().contains("overflows"), e.getMessage());
        // 2^31 - 1 itself fits: 1f e0 ff ff ff 07.
        var max = encode(0, 5, Integer.MAX_VALUE);
        assertArrayEquals(Hex.bytes("1f e0 ff ff ff 07"), max);
        assertEquals(Integer.MAX_VALUE, read(5, max));
        var over = max.clone();
        over[over.length - 1]++; // adds 2^28
        assertThrows(HpackException.class, () -> read(5, over));
    }

    @Test
    void rejectsOverlongEncodings() throws HpackException {
        // Five continuation octets is the most an int needs; zero-valued padding octets are accepted up to that.
        assertEquals(31, read(5, 0x1f, 0x80, 0x80, 0x80, 0x80, 0x00));
        var e = assertThrows(HpackException.class,
                () -> read(5, 0x1f, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00));
        assertTrue(e.getMessage().contains("too many continuation"), e.getMessage());
    }

    private static byte[] encode(int flags, int prefix, int value) {
        var out = new byte[8];
        int n = HpackEncoder.writeInt(out, 0, flags, prefix, value);
        return Arrays.copyOf(out, n);
    }

    private static int read(int prefix, int... octets) throws HpackException {
        var bytes = new byte[octets.length];
        for (int i = 0; i < octets.length; i++) {
            bytes[i] = (byte) octets[i];
        }
        return read(prefix, bytes);
    }

    private static int read(int prefix, byte[] bytes) throws HpackException {
        var r = new BlockReader();
        r.reset(bytes, 0, bytes.length);
        int v = r.readInt(prefix);
        assertEquals(bytes.length, r.offset(), "consumed every octet");
        return v;
    }
}
