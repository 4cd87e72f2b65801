package io.vpccni.cni.hpack;

import java.util.List;

/**
 * Encodes header lists without touching the peer's dynamic table: a static-table index when name and value
 * match exactly, else a literal without indexing (§6.2.2), with the name indexed when the static table has it.
 * Strings go raw; Huffman coding is optional for encoders. Since nothing is ever inserted, the peer's table
 * size setting never matters to us.
 */
public final class HpackEncoder {

    private HpackEncoder() {
    }

    /**
     * @throws IllegalArgumentException for an empty name, a name with upper-case letters (malformed in HTTP/2),
     *                                  or a character above U+00FF (not an octet)
     */
    public static byte[] encode(List<HeaderField> fields) {
        int n = fields.size();
        int[] indices = new int[n];
        int length = 0;
        for (int i = 0; i < n; i++) {
            var f = fields.get(i);
            checkName(f.name());
            checkOctets(f.value());
            int index = StaticTable.find(f.name(), f.value());
            indices[i] = index;
            if (index > 0) {
                length += intLength(7, index);
            } else {
                length += index < 0 ? intLength(4, -index) : 1 + stringLength(f.name());
                length += stringLength(f.value());
            }
        }
        var out = new byte[length];
        int pos = 0;
        for (int i = 0; i < n; i++) {
            var f = fields.get(i);
            int index = indices[i];
            if (index > 0) {
                pos = writeInt(out, pos, 0x80, 7, index);
            } else {
                if (index < 0) {
                    pos = writeInt(out, pos, 0x00, 4, -index);
                } else {
                    out[pos++] = 0x00;
                    pos = writeString(out, pos, f.name());
                }
                pos = writeString(out, pos, f.value());
            }
        }
        return out;
    }

    /** Octets that {@link #writeInt} uses for {@code value} with an N-bit prefix. */
    static int intLength(int prefixBits, int value) {
        int max = (1 << prefixBits) - 1;
        if (value < max) {
            return 1;
        }
        int n = 2;
        for (value -= max; value >= 0x80; value >>>= 7) {
            n++;
        }
        return n;
    }

    /** Writes {@code value} with an N-bit prefix (§5.1), {@code flags} in the high bits of the first octet. */
    static int writeInt(byte[] out, int pos, int flags, int prefixBits, int value) {
        int max = (1 << prefixBits) - 1;
        if (value < max) {
            out[pos++] = (byte) (flags | value);
            return pos;
        }
        out[pos++] = (byte) (flags | max);
        for (value -= max; value >= 0x80; value >>>= 7) {
            out[pos++] = (byte) (0x80 | (value & 0x7f));
        }
        out[pos++] = (byte) value;
        return pos;
    }

    private static int stringLength(String s) {
        return intLength(7, s.length()) + s.length();
    }

    private static int writeString(byte[] out, int pos, String s) {
        int len = s.length();
        pos = writeInt(out, pos, 0x00, 7, len); // H = 0: raw octets
        for (int i = 0; i < len; i++) {
            out[pos++] = (byte) s.charAt(i);
        }
        return pos;
    }

    private static void checkName(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty header name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                throw new IllegalArgumentException(new StringBuilder(40 + name.length())
                        .append("upper-case header name: ").append(name).toString());
            }
        }
        checkOctets(name);
    }

    private static void checkOctets(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xff) {
                throw new IllegalArgumentException(new StringBuilder(64).append("character U+")
                        .append(Integer.toHexString(s.charAt(i))).append(" at index ").append(i)
                        .append(" is not an octet").toString());
            }
        }
    }
}
