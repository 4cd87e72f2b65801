package io.vpccni.cni.wire;

import java.nio.charset.StandardCharsets;

/**
 * Protocol Buffers wire format, read side: iterate fields, read the ones the plugin knows and skip the
 * rest, so the daemon may add fields without breaking older plugins.
 */
public final class ProtoReader {
    private final byte[] buf;
    private int pos;
    private final int limit;
    private int tag;

    public ProtoReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    private ProtoReader(byte[] buf, int offset, int limit) {
        this.buf = buf;
        this.pos = offset;
        this.limit = limit;
    }

    /** Advances to the next field. @return its number, or 0 at the end */
    public int next() throws ProtoException {
        if (pos >= limit) {
            return 0;
        }
        var t = varint();
        if (t >>> 3 == 0 || t >>> 3 > 536_870_911L) {
            throw new ProtoException("invalid field tag " + t + " at byte " + pos);
        }
        tag = (int) t;
        return tag >>> 3;
    }

    public String string() throws ProtoException {
        var length = length();
        var s = new String(buf, pos, length, StandardCharsets.UTF_8);
        pos += length;
        return s;
    }

    public boolean bool() throws ProtoException {
        return varint() != 0;
    }

    public int int32() throws ProtoException {
        return (int) varint();
    }

    public ProtoReader message() throws ProtoException {
        var length = length();
        var nested = new ProtoReader(buf, pos, pos + length);
        pos += length;
        return nested;
    }

    /** Skips the current field, whatever its wire type. */
    public void skip() throws ProtoException {
        switch (tag & 7) {
            case 0 -> varint();
            case 1 -> advance(8);
            case 2 -> advance(length());
            case 5 -> advance(4);
            default -> throw new ProtoException("unsupported wire type " + (tag & 7) + " at byte " + pos);
        }
    }

    private int length() throws ProtoException {
        if ((tag & 7) != 2) {
            throw new ProtoException("field " + (tag >>> 3) + " has wire type " + (tag & 7) + ", expected length-delimited");
        }
        var length = varint();
        if (length < 0 || length > limit - pos) {
            throw new ProtoException("field " + (tag >>> 3) + " declares " + length + " bytes, only " + (limit - pos) + " remain");
        }
        return (int) length;
    }

    private void advance(int n) throws ProtoException {
        if (n > limit - pos) {
            throw new ProtoException("truncated field " + (tag >>> 3));
        }
        pos += n;
    }

    private long varint() throws ProtoException {
        long result = 0;
        for (var shift = 0; shift < 64; shift += 7) {
            if (pos >= limit) {
                throw new ProtoException("truncated varint at byte " + pos);
            }
            var b = buf[pos++];
            result |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw new ProtoException("varint longer than 10 bytes at byte " + pos);
    }

    public static final class ProtoException extends Exception {
        public ProtoException(String message) {
            super(message, null, false, false);
        }
    }
}
