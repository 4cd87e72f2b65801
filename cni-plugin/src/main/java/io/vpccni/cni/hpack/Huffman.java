package io.vpccni.cni.hpack;

/**
 * The static Huffman code of RFC 7541 Appendix B and a decoder for it.
 *
 * <p>The code is canonical: codes of one length are consecutive numbers in symbol order, and the first code
 * of each length follows the last code of the previous length. So the code lengths alone determine every
 * code, and only they are transcribed here (HuffmanTest checks the derived codes against the RFC's table).
 *
 * <p>Canonicity also makes a decoding tree unnecessary: after reading L bits as the number c, a symbol is
 * complete exactly when c - FIRST[L] < COUNT[L], and it is the (c - FIRST[L])-th symbol of length L. The
 * static initializer is a counting sort of 257 lengths, a few hundred steps on every start-up.
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

    private static final int MAX_LENGTH = 30;

    private static final int[] CODES = new int[EOS + 1];          // code of each symbol, right-aligned
    private static final int[] FIRST = new int[MAX_LENGTH + 1];   // first code of each length
    private static final int[] COUNT = new int[MAX_LENGTH + 1];   // number of codes of each length
    private static final int[] OFFSET = new int[MAX_LENGTH + 1];  // where each length starts in SORTED
    private static final short[] SORTED = new short[EOS + 1];     // symbols ordered by (length, symbol)

    static {
        for (int sym = 0; sym <= EOS; sym++) {
            COUNT[LENGTHS[sym]]++;
        }
        int code = 0;
        int index = 0;
        int[] next = new int[MAX_LENGTH + 1];
        for (int len = 1; len <= MAX_LENGTH; len++) {
            FIRST[len] = code;
            OFFSET[len] = index;
            next[len] = index;
            code = (code + COUNT[len]) << 1;
            index += COUNT[len];
        }
        for (int sym = 0; sym <= EOS; sym++) {
            int len = LENGTHS[sym];
            int pos = next[len]++;
            SORTED[pos] = (short) sym;
            CODES[sym] = FIRST[len] + pos - OFFSET[len];
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
        int code = 0;   // bits read since the last complete symbol, as a number
        int bits = 0;   // how many
        int end = off + len;
        for (int i = off; i < end; i++) {
            int b = src[i];
            for (int shift = 7; shift >= 0; shift--) {
                code = (code << 1) | ((b >>> shift) & 1);
                bits++;
                // The code is complete (Kraft sum 1), so every prefix is >= FIRST and a symbol ends by 30 bits.
                int k = code - FIRST[bits];
                if (k < COUNT[bits]) {
                    int sym = SORTED[OFFSET[bits] + k];
                    if (sym == EOS) {
                        throw new HpackException("Huffman-coded string contains the EOS symbol", i - origin);
                    }
                    dst[n++] = (byte) sym;
                    code = 0;
                    bits = 0;
                }
            }
        }
        if (bits > 7) {
            throw new HpackException("Huffman-coded string ends with more than 7 bits of padding", end - 1 - origin);
        }
        if (code != (1 << bits) - 1) {
            throw new HpackException("Huffman padding is not all 1 bits (the prefix of EOS)", end - 1 - origin);
        }
        return n;
    }
}
