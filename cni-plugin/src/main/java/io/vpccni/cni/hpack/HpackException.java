package io.vpccni.cni.hpack;

/**
 * A header block that cannot be decoded.
 *
 * <p>Most failures are HTTP/2 COMPRESSION_ERRORs: the decoder's dynamic table may be out of step with the
 * peer's, so the connection must be closed. The one exception is a header list over the configured limit:
 * the block was still decoded to its end, the table is in sync, and only the stream needs resetting.
 */
public final class HpackException extends Exception {
    private final int offset;
    private final boolean connectionError;

    HpackException(String what, int offset) {
        this(what, offset, true);
    }

    HpackException(String what, int offset, boolean connectionError) {
        super(new StringBuilder(what.length() + 24).append(what).append(" at offset ").append(offset).toString());
        this.offset = offset;
        this.connectionError = connectionError;
    }

    /** Byte offset within the header block where the problem was found. */
    public int offset() {
        return offset;
    }

    /** True for a COMPRESSION_ERROR (connection unusable); false when only the header list was too large. */
    public boolean isConnectionError() {
        return connectionError;
    }
}
