package io.vpccni.cni.hpack;

import java.nio.charset.StandardCharsets;

/** A cursor over one header block: the primitive types of RFC 7541 §5 with bounds checks and offsets. */
final class BlockReader {
    private static final byte[] NO_BYTES = new byte[0];

    private byte[] buf = NO_BYTES;
    private int start;
    private int pos;
    private int end;
    private byte[] scratch = NO_BYTES; // Huffman output, reused across strings and blocks

    void reset(byte[] block, int off, int len) {
        buf = block;
        start = off;
        pos = off;
        end = off + len;
    }

    /** Drops the reference to the caller's block. */
    void release() {
        buf = NO_BYTES;
        start = pos = end = 0;
    }

    boolean hasMore() {
        return pos < end;
    }

    /** The next octet, unsigned, without consuming it; the caller checks {@link #hasMore()}. */
    int peek() {
        return buf[pos] & 0xff;
    }

    /** Offset of the cursor from the start of the block. */
    int offset() {
        return pos - start;
    }

    /**
     * Reads an integer with an N-bit prefix (§5.1), consuming the prefix octet, whose high 8-N bits are the
     * caller's. Rejects values above Integer.MAX_VALUE and encodings longer than 5 continuation octets.
     */
    int readInt(int prefixBits) throws HpackException {
        int first = pos - start;
        if (pos >= end) {
            throw new HpackException("block ends where an integer should start", first);
        }
        int max = (1 << prefixBits) - 1;
        int value = buf[pos++] & max;
        if (value < max) {
            return value;
        }
        long v = max;
        for (int shift = 0; ; shift += 7) {
            if (shift > 28) {
                throw new HpackException("integer encoding has too many continuation octets", first);
            }
            if (pos >= end) {
                throw new HpackException("integer truncated by the end of the block", first);
            }
            int b = buf[pos++];
            v += (long) (b & 0x7f) << shift;
            if (v > Integer.MAX_VALUE) {
                throw new HpackException("integer overflows 2^31-1", first);
            }
            if ((b & 0x80) == 0) {
                return (int) v;
            }
        }
    }

    /** Reads a string literal (§5.2), Huffman-coded or raw, as ISO-8859-1. */
    String readString() throws HpackException {
        int first = pos - start;
        if (pos >= end) {
            throw new HpackException("block ends where a string literal should start", first);
        }
        boolean huffman = (buf[pos] & 0x80) != 0;
        int len = readInt(7);
        if (len > end - pos) {
            throw new HpackException(new StringBuilder(64).append("string literal of ").append(len)
                    .append(" octets overruns the block (").append(end - pos).append(" left)").toString(), first);
        }
        int at = pos;
        pos += len;
        if (!huffman) {
            return new String(buf, at, len, StandardCharsets.ISO_8859_1);
        }
        int max = Huffman.maxDecodedLength(len);
        if (scratch.length < max) {
            scratch = new byte[Math.max(max, 64)];
        }
        int n = Huffman.decode(buf, at, len, scratch, start);
        return new String(scratch, 0, n, StandardCharsets.ISO_8859_1);
    }
}
