package io.vpccni.ipamd.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds one netlink request: the header, a family-specific fixed part, and (nested) attributes. */
final class NlMessage {
    private ByteBuffer buf = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
    private final int[] nestStarts = new int[8];
    private int depth;

    NlMessage(int type, int flags) {
        buf.putInt(0).putShort((short) type).putShort((short) flags).putInt(0).putInt(0);
    }

    NlMessage u8(int v) {
        ensure(1);
        buf.put((byte) v);
        return this;
    }

    NlMessage u16(int v) {
        ensure(2);
        buf.putShort((short) v);
        return this;
    }

    NlMessage u32(int v) {
        ensure(4);
        buf.putInt(v);
        return this;
    }

    NlMessage attr(int type, byte[] value) {
        ensure(4 + value.length + 3);
        buf.putShort((short) (4 + value.length)).putShort((short) type).put(value);
        pad();
        return this;
    }

    NlMessage attrU32(int type, int value) {
        ensure(8);
        buf.putShort((short) 8).putShort((short) type).putInt(value);
        return this;
    }

    NlMessage attrString(int type, String value) {
        var bytes = value.getBytes(StandardCharsets.US_ASCII);
        var withNul = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, withNul, 0, bytes.length);
        return attr(type, withNul);
    }

    NlMessage beginNested(int type) {
        ensure(4);
        nestStarts[depth++] = buf.position();
        buf.putShort((short) 0).putShort((short) type);
        return this;
    }

    NlMessage endNested() {
        var start = nestStarts[--depth];
        buf.putShort(start, (short) (buf.position() - start));
        return this;
    }

    /** The finished message with its length and sequence number filled in. */
    byte[] finish(int seq) {
        buf.putInt(0, buf.position());
        buf.putInt(8, seq);
        var out = new byte[buf.position()];
        buf.get(0, out);
        return out;
    }

    int type() {
        return buf.getShort(4) & 0xffff;
    }

    private void pad() {
        while ((buf.position() & 3) != 0) {
            buf.put((byte) 0);
        }
    }

    private void ensure(int n) {
        if (buf.remaining() < n) {
            var bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n)).order(ByteOrder.nativeOrder());
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }
    }
}
