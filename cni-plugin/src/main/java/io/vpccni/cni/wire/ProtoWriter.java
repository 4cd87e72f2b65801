package io.vpccni.cni.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Protocol Buffers wire format, write side: just what the plugin's requests use (strings, bools, varints,
 * nested messages). Default values are omitted, as proto3 does.
 */
public final class ProtoWriter {
    private static final int VARINT = 0, LENGTH_DELIMITED = 2;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    public ProtoWriter string(int field, String value) {
        if (value != null && !value.isEmpty()) {
            bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }
        return this;
    }

    public ProtoWriter bool(int field, boolean value) {
        if (value) {
            tag(field, VARINT);
            out.write(1);
        }
        return this;
    }

    public ProtoWriter int32(int field, int value) {
        if (value != 0) {
            tag(field, VARINT);
            varint(value);  // negative int32 is sign-extended to 10 bytes, as protobuf specifies
        }
        return this;
    }

    public ProtoWriter message(int field, ProtoWriter nested) {
        if (nested != null && nested.out.size() > 0) {
            bytes(field, nested.toByteArray());
        }
        return this;
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    private void bytes(int field, byte[] value) {
        tag(field, LENGTH_DELIMITED);
        varint(value.length);
        out.write(value, 0, value.length);
    }

    private void tag(int field, int wireType) {
        varint((long) field << 3 | wireType);
    }

    private void varint(long value) {
        while ((value & ~0x7fL) != 0) {
            out.write((int) (value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
    }
}
