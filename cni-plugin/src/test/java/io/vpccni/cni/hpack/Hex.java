package io.vpccni.cni.hpack;

/** Hex dumps as the RFC prints them ("8286 8441 ..."), whitespace ignored. */
final class Hex {
    private Hex() {
    }

    static byte[] bytes(String hex) {
        var digits = hex.replaceAll("\\s+", "");
        var out = new byte[digits.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    static String string(byte[] bytes) {
        var sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(String.format("%02x", b & 0xff));
        }
        return sb.toString();
    }
}
