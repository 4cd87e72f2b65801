package io.vpccni.cni.hpack;

/**
 * The static Huffman code of RFC 7541 Appendix B and a decoder for it.
 *
 * <p>The code is canonical: within one length, codes are consecutive in symbol order, and the first code of
 * each length follows the last of the previous length. So the code lengths alone determine every code, and
 * only those are transcribed here (HuffmanTest checks the derived codes against the RFC's table).
 *
 * <p>Decoding walks a binary tree held in one int array, built in the static initializer: 256 internal
 * nodes, node n's children at [2n] (bit 0) and [2n+1] (bit 1); a child >= 1 is an internal node, a child
 * < 0 is the leaf of symbol ~child. Building it takes about 5,000 steps, cheap enough for every start-up.
 */
final class Huffman {
    static final int EOS = 256;

    /** Code length in bits of each symbol 0..255 and EOS (256). */
    private static final byte[] LENGTHS = {
            13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28,  // 0-15
            28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,  // 16-31
            6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6,          // 32-47   ' ' .. '/'
            5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,               // 48-63   '0' .. '?'
            13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,                 // 64-79   '@' .. 'O'
            7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,              // 80-95   'P' .. '_'
            15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5,                 // 96-111  '`' .. 'o'
            6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,             // 112-127 'p' .. DEL
            20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23,  // 128-143
            24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,  // 144-159
            22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23,  // 160-175
            21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,  // 176-191
            26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25,  // 192-207
            19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,  // 208-223
            20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23,  // 224-239
            26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,  // 240-255
            30,                                                              // EOS
    };

    private static final int[] CODES = new int[EOS + 1];
    private static final int[] TREE = new int[2 * EOS];

    static {
        // Canonical assignment: lengths in increasing order, symbols in increasing order within a length.
        int code = 0;
        for (int len = 5; len <= 30; len++) {
            for (int sym = 0; sym <= EOS; sym++) {
                if (LENGTHS[sym] == len) {
                    CODES[sym] = code++;
                }
            }
            code <<= 1;
        }
        int next = 1;
        for (int sym = 0; sym <= EOS; sym++) {
            int c = CODES[sym];
            int node = 0;
            for (int bit = LENGTHS[sym] - 1; bit > 0; bit--) {
                int slot = (node << 1) | ((c >>> bit) & 1);
                if (TREE[slot] == 0) {
                    TREE[slot] = next++;
                }
                node = TREE[slot];
            }
            TREE[(node << 1) | (c & 1)] = ~sym;
        }
    }

    private Huffman() {
    }

    /** The code of a symbol, right-aligned in {@link #length(int)} bits. */
    static int code(int sym) {
        return CODES[sym];
    }

    static int length(int sym) {
        return LENGTHS[sym];
    }

    /** An upper bound on the decoded length of {@code encodedLength} octets: every code is at least 5 bits. */
    static int maxDecodedLength(int encodedLength) {
        return (int) (encodedLength * 8L / 5);
    }

    /**
     * Decodes {@code src[off, off+len)} into {@code dst} (at least {@link #maxDecodedLength} long) and returns
     * the decoded length. Error offsets are reported relative to {@code origin}. Rejects, as RFC 7541 §5.2
     * requires, the EOS symbol and padding that is longer than 7 bits or not the most significant bits of EOS.
     */
    static int decode(byte[] src, int off, int len, byte[] dst, int origin) throws HpackException {
        int n = 0;
        int node = 0;
        int pending = 0;      // bits read since the last complete symbol
        boolean ones = true;  // whether all of them were 1
        int end = off + len;
        for (int i = off; i < end; i++) {
            int b = src[i];
            for (int shift = 7; shift >= 0; shift--) {
                int bit = (b >>> shift) & 1;
                int child = TREE[(node << 1) | bit];
                if (child < 0) {
                    int sym = ~child;
                    if (sym == EOS) {
                        throw new HpackException("Huffman-coded string contains the EOS symbol", i - origin);
                    }
                    dst[n++] = (byte) sym;
                    node = 0;
                    pending = 0;
                    ones = true;
                } else {
                    node = child;
                    pending++;
                    ones &= bit == 1;
                }
            }
        }
        if (pending > 7) {
            throw new HpackException("Huffman-coded string ends with more than 7 bits of padding", end - 1 - origin);
        }
        if (!ones) {
            throw new HpackException("Huffman padding is not all 1 bits (the prefix of EOS)", end - 1 - origin);
        }
        return n;
    }
}
