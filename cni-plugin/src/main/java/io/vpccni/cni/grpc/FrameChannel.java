package io.vpccni.cni.grpc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * HTTP/2 frames (RFC 9113 §4.1) over a non-blocking channel, where every read and write honours one
 * absolute deadline: the plugin must answer the runtime even when the daemon hangs.
 */
public final class FrameChannel implements AutoCloseable {
    public static final int HEADER_LENGTH = 9;
    public static final int DEFAULT_MAX_FRAME_SIZE = 16_384;

    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final long deadlineNanos;
    private final int maxInboundFrameSize;
    private final ByteBuffer in;

    /** A frame as read: its payload is a copy, safe to keep. */
    public record Frame(int type, int flags, int streamId, byte[] payload) {
        public boolean has(int flag) {
            return (flags & flag) != 0;
        }
    }

    public FrameChannel(SocketChannel channel, long deadlineNanos, int maxInboundFrameSize) throws IOException {
        this.channel = channel;
        this.deadlineNanos = deadlineNanos;
        this.maxInboundFrameSize = maxInboundFrameSize;
        this.in = ByteBuffer.allocate(HEADER_LENGTH + maxInboundFrameSize);
        this.in.flip();
        channel.configureBlocking(false);
        this.selector = Selector.open();
        this.key = channel.register(selector, 0);
    }

    public void write(ByteBuffer bytes) throws IOException, GrpcException {
        while (bytes.hasRemaining()) {
            if (channel.write(bytes) == 0) {
                await(SelectionKey.OP_WRITE);
            }
        }
    }

    public static ByteBuffer frame(int type, int flags, int streamId, byte[] payload, int offset, int length) {
        var buf = ByteBuffer.allocate(HEADER_LENGTH + length);
        buf.put((byte) (length >>> 16)).put((byte) (length >>> 8)).put((byte) length);
        buf.put((byte) type).put((byte) flags).putInt(streamId & 0x7fff_ffff);
        buf.put(payload, offset, length);
        return buf.flip();
    }

    public void writeFrame(int type, int flags, int streamId, byte[] payload) throws IOException, GrpcException {
        write(frame(type, flags, streamId, payload, 0, payload.length));
    }

    /** Reads the next whole frame. @throws GrpcException on EOF, an oversized frame, or the deadline */
    public Frame read() throws IOException, GrpcException {
        fill(HEADER_LENGTH);
        var length = ((in.get(in.position()) & 0xff) << 16) | ((in.get(in.position() + 1) & 0xff) << 8)
                | (in.get(in.position() + 2) & 0xff);
        if (length > maxInboundFrameSize) {
            throw new GrpcException(GrpcException.INTERNAL, "ipamd sent a " + length + "-byte HTTP/2 frame, larger than the "
                    + maxInboundFrameSize + " bytes this client allows (FRAME_SIZE_ERROR)");
        }
        fill(HEADER_LENGTH + length);
        var type = in.get(in.position() + 3) & 0xff;
        var flags = in.get(in.position() + 4) & 0xff;
        var streamId = in.getInt(in.position() + 5) & 0x7fff_ffff;
        in.position(in.position() + HEADER_LENGTH);
        var payload = new byte[length];
        in.get(payload);
        return new Frame(type, flags, streamId, payload);
    }

    private void fill(int needed) throws IOException, GrpcException {
        while (in.remaining() < needed) {
            in.compact();
            var n = channel.read(in);
            in.flip();
            if (n < 0) {
                throw new GrpcException(GrpcException.UNAVAILABLE, "ipamd closed the connection before the call completed");
            }
            if (n == 0) {
                await(SelectionKey.OP_READ);
            }
        }
    }

    private void await(int op) throws IOException, GrpcException {
        var remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            throw deadlineExceeded();
        }
        key.interestOps(op);
        selector.select(Math.max(1, remaining / 1_000_000));
        selector.selectedKeys().clear();
        if (System.nanoTime() - deadlineNanos >= 0) {
            throw deadlineExceeded();
        }
    }

    private static GrpcException deadlineExceeded() {
        return new GrpcException(GrpcException.DEADLINE_EXCEEDED, "ipamd did not answer before the deadline");
    }

    @Override
    public void close() throws IOException {
        try {
            selector.close();
        } finally {
            channel.close();
        }
    }
}
