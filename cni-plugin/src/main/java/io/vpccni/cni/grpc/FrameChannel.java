package io.vpccni.cni.grpc;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * HTTP/2 frames (RFC 9113 §4.1) over a non-blocking channel, where every read and write honours one
 * deadline: the plugin must answer the runtime even when the daemon hangs. The deadline is checked on
 * every frame and every pass of every loop, not only when the socket would block, so a peer that floods
 * frames or trickles bytes cannot keep a call alive past it.
 */
public final class FrameChannel implements AutoCloseable {
    public static final int HEADER_LENGTH = 9;
    public static final int DEFAULT_MAX_FRAME_SIZE = 16_384;

    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final Deadline deadline;
    private final int maxInboundFrameSize;
    private final ByteBuffer in;

    /** A frame as read: its payload is a copy, safe to keep. */
    public record Frame(int type, int flags, int streamId, byte[] payload) {
        public boolean has(int flag) {
            return (flags & flag) != 0;
        }
    }

    public FrameChannel(SocketChannel channel, Deadline deadline, int maxInboundFrameSize) throws IOException {
        this.channel = channel;
        this.deadline = deadline;
        this.maxInboundFrameSize = maxInboundFrameSize;
        this.in = ByteBuffer.allocate(HEADER_LENGTH + maxInboundFrameSize);
        this.in.flip();
        channel.configureBlocking(false);
        this.selector = Selector.open();
        this.key = channel.register(selector, 0);
    }

    /** @throws DeadlinePassedException when the deadline passes before every byte is written */
    public void write(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            checkDeadline();
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

    public void writeFrame(int type, int flags, int streamId, byte[] payload) throws IOException {
        write(frame(type, flags, streamId, payload, 0, payload.length));
    }

    /**
     * Reads the next whole frame.
     *
     * @throws DeadlinePassedException when the deadline has passed, even if frames are waiting
     * @throws EOFException when the peer closed the connection
     * @throws GrpcException for a frame larger than this channel accepts
     */
    public Frame read() throws IOException, GrpcException {
        checkDeadline();
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

    private void fill(int needed) throws IOException {
        while (in.remaining() < needed) {
            checkDeadline();
            in.compact();
            var n = channel.read(in);
            in.flip();
            if (n < 0) {
                throw new EOFException("ipamd closed the connection before the call completed");
            }
            if (n == 0) {
                await(SelectionKey.OP_READ);
            }
        }
    }

    private void await(int op) throws IOException {
        var remaining = deadline.remainingMillis();
        if (remaining <= 0) {
            throw new DeadlinePassedException();
        }
        key.interestOps(op);
        selector.select(remaining);
        selector.selectedKeys().clear();
        checkDeadline();
    }

    private void checkDeadline() throws DeadlinePassedException {
        if (deadline.passed()) {
            throw new DeadlinePassedException();
        }
    }

    /** Closes quietly: the call's outcome is already decided, and a failed close cannot change it. */
    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing to release that the channel's close below does not
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // the socket is gone either way
        }
    }
}
