package io.vpccni.ipamd.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** The attributes of one message (or one nested attribute), indexed by type; later duplicates win. */
final class NlAttrs {
    private static final int MAX_TYPE = 64;
    private final ByteBuffer buf;
    private final int[] offset = new int[MAX_TYPE];
    private final int[] length = new int[MAX_TYPE];

    /** Parses attributes in {@code buf} from {@code start} to {@code end}. */
    NlAttrs(ByteBuffer buf, int start, int end) {
        this.buf = buf.duplicate().order(ByteOrder.nativeOrder());
        java.util.Arrays.fill(offset, -1);
        var pos = start;
        while (pos + 4 <= end) {
            var len = buf.getShort(pos) & 0xffff;
            var type = buf.getShort(pos + 2) & 0x3fff;  // strip NLA_F_NESTED / NLA_F_NET_BYTEORDER
            if (len < 4 || pos + len > end) {
                break;
            }
            if (type < MAX_TYPE) {
                offset[type] = pos + 4;
                length[type] = len - 4;
            }
            pos += (len + 3) & ~3;
        }
    }

    boolean has(int type) {
        return offset[type] >= 0;
    }

    byte[] bytes(int type) {
        if (!has(type)) {
            return null;
        }
        var out = new byte[length[type]];
        buf.get(offset[type], out);
        return out;
    }

    /** A NUL-terminated string attribute, or null. */
    String string(int type) {
        if (!has(type)) {
            return null;
        }
        var len = length[type];
        while (len > 0 && buf.get(offset[type] + len - 1) == 0) {
            len--;
        }
        var out = new byte[len];
        buf.get(offset[type], out);
        return new String(out, StandardCharsets.US_ASCII);
    }

    int u32(int type, int fallback) {
        return has(type) && length[type] >= 4 ? buf.getInt(offset[type]) : fallback;
    }

    NlAttrs nested(int type) {
        return has(type) ? new NlAttrs(buf, offset[type], offset[type] + length[type]) : null;
    }
}
