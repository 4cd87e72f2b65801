package io.vpccni.cni.hpack;

import java.io.ByteArrayOutputStream;

/** A Huffman encoder for tests, from the codes {@link Huffman} derives; pads with 1s as §5.2 says. */
final class HuffmanTestEncoder {
    private HuffmanTestEncoder() {
    }

    static byte[] encode(byte[] data) {
        int[] syms = new int[data.length];
        for (int i = 0; i < data.length; i++) {
            syms[i] = data[i] & 0xff;
        }
        return encodeSymbols(syms, 0);
    }

    /** Encodes symbols (EOS allowed, to build bad input), then {@code extraOnes} 1 bits, then pads to an octet with 1s. */
    static byte[] encodeSymbols(int[] syms, int extraOnes) {
        var out = new ByteArrayOutputStream();
        long acc = 0;
        int bits = 0;
        for (int s : syms) {
            acc = (acc << Huffman.length(s)) | Huffman.code(s);
            bits += Huffman.length(s);
            while (bits >= 8) {
                out.write((int) (acc >>> (bits - 8)));
                bits -= 8;
            }
        }
        for (int i = 0; i < extraOnes; i++) {
            acc = (acc << 1) | 1;
            bits++;
            if (bits == 8) {
                out.write((int) acc);
                bits = 0;
            }
        }
        if (bits > 0) {
            int pad = 8 - bits;
            out.write((int) ((acc << pad) | ((1 << pad) - 1)));
        }
        return out.toByteArray();
    }

    /** A string literal octet sequence: H=1, 7-bit prefixed length, code. */
    static byte[] literal(byte[] code) {
        var out = new byte[HpackEncoder.intLength(7, code.length) + code.length];
        int pos = HpackEncoder.writeInt(out, 0, 0x80, 7, code.length);
        System.arraycopy(code, 0, out, pos, code.length);
        return out;
    }
}
