package io.vpccni.cni.grpc;

import io.vpccni.cni.hpack.HeaderField;
import io.vpccni.cni.hpack.HpackDecoder;
import io.vpccni.cni.hpack.HpackEncoder;
import io.vpccni.cni.hpack.HpackException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One unary gRPC call over HTTP/2 with prior knowledge on a Unix socket: a connection per call, one stream.
 * It implements what a unary call needs of RFC 9113 (settings, flow control in both directions, PING,
 * GOAWAY, RST_STREAM, CONTINUATION, padding) and of the gRPC HTTP/2 protocol (length-prefixed messages,
 * grpc-timeout, trailers and trailers-only responses), and nothing else.
 */
public final class GrpcClient {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    public static final int DATA = 0x0, HEADERS = 0x1, RST_STREAM = 0x3, SETTINGS = 0x4, PUSH_PROMISE = 0x5, PING = 0x6,
            GOAWAY = 0x7, WINDOW_UPDATE = 0x8, CONTINUATION = 0x9;
    public static final int END_STREAM = 0x1, ACK = 0x1, END_HEADERS = 0x4, PADDED = 0x8, PRIORITY = 0x20;
    private static final int SETTINGS_HEADER_TABLE_SIZE = 0x1, SETTINGS_ENABLE_PUSH = 0x2,
            SETTINGS_INITIAL_WINDOW_SIZE = 0x4, SETTINGS_MAX_FRAME_SIZE = 0x5, SETTINGS_MAX_HEADER_LIST_SIZE = 0x6;

    private static final int STREAM = 1;
    private static final int DEFAULT_WINDOW = 65_535;
    /** What we let the daemon send before we must acknowledge: large enough that replies never wait on us. */
    private static final int RECEIVE_WINDOW = 1 << 20;
    private static final int MAX_HEADER_LIST = 64 * 1024;
    private static final int MAX_MESSAGE = 4 << 20;

    private final Path socket;
    private final String userAgent;

    public GrpcClient(Path socket, String userAgent) {
        this.socket = socket;
        this.userAgent = userAgent;
    }

    public Path socket() {
        return socket;
    }

    /**
     * Calls {@code method} (e.g. "/rpc.CNIBackend/AddNetwork") with a serialized request. The deadline,
     * {@code timeoutMillis} from now, bounds the whole call: connecting, sending and receiving.
     *
     * @return the serialized response message
     * @throws GrpcException with the status the call ended with: the daemon's, or one the gRPC HTTP/2 spec
     *     derives from what the daemon sent (an HTTP status, RST_STREAM, GOAWAY, a malformed reply)
     * @throws TransportException when no status could be had: no connection, a broken one, or the deadline
     */
    public byte[] call(String method, byte[] request, long timeoutMillis) throws GrpcException, TransportException {
        var deadline = Deadline.after(timeoutMillis);
        var channel = UnixConnector.connect(socket, deadline);
        FrameChannel frames;
        try {
            frames = new FrameChannel(channel, deadline, FrameChannel.DEFAULT_MAX_FRAME_SIZE);
        } catch (IOException e) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the call has failed already; this is cleanup
            }
            throw TransportException.broken(socket, TransportException.Phase.CONNECT, e.getMessage());
        }
        try (frames) {
            return new Stream(frames, deadline).run(method, request);
        }
    }

    /** The state of the single stream of one call. */
    private final class Stream {
        private final FrameChannel frames;
        private final HpackDecoder decoder = new HpackDecoder(4096, MAX_HEADER_LIST);
        private long sendConnectionWindow = DEFAULT_WINDOW;
        private long sendStreamWindow = DEFAULT_WINDOW;
        private int peerInitialWindow = DEFAULT_WINDOW;
        private int peerMaxFrame = FrameChannel.DEFAULT_MAX_FRAME_SIZE;
        private int unackedConnection;
        private int unackedStream;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private List<HeaderField> headers;
        private List<HeaderField> trailers;
        private boolean remoteClosed;
        private ByteArrayOutputStream headerBlock;
        private boolean headerBlockEndsStream;
        private final Deadline deadline;
        private TransportException.Phase phase = TransportException.Phase.SEND;

        Stream(FrameChannel frames, Deadline deadline) {
            this.frames = frames;
            this.deadline = deadline;
        }

        byte[] run(String method, byte[] request) throws GrpcException, TransportException {
            try {
                sendPreface();
                sendHeaders(method);
                sendMessage(request);
                phase = TransportException.Phase.RECEIVE;
                while (!remoteClosed) {
                    handle(frames.read());
                }
            } catch (DeadlinePassedException e) {
                throw TransportException.deadlinePassed(socket, phase, deadline, null);
            } catch (IOException e) {
                throw TransportException.broken(socket, phase, e.getMessage());
            }
            return result();
        }

        private void sendPreface() throws IOException {
            var settings = ByteBuffer.allocate(18)
                    .putShort((short) SETTINGS_ENABLE_PUSH).putInt(0)
                    .putShort((short) SETTINGS_INITIAL_WINDOW_SIZE).putInt(RECEIVE_WINDOW)
                    .putShort((short) SETTINGS_MAX_HEADER_LIST_SIZE).putInt(MAX_HEADER_LIST);
            var windowIncrement = ByteBuffer.allocate(4).putInt(RECEIVE_WINDOW - DEFAULT_WINDOW);
            var out = ByteBuffer.allocate(PREFACE.length + 2 * FrameChannel.HEADER_LENGTH + 18 + 4);
            out.put(PREFACE)
                    .put(FrameChannel.frame(SETTINGS, 0, 0, settings.array(), 0, 18))
                    .put(FrameChannel.frame(WINDOW_UPDATE, 0, 0, windowIncrement.array(), 0, 4));
            frames.write(out.flip());
        }

        private void sendHeaders(String method) throws IOException {
            var fields = new ArrayList<HeaderField>(8);
            fields.add(new HeaderField(":method", "POST"));
            fields.add(new HeaderField(":scheme", "http"));
            fields.add(new HeaderField(":path", method));
            fields.add(new HeaderField(":authority", "localhost"));
            fields.add(new HeaderField("content-type", "application/grpc"));
            fields.add(new HeaderField("te", "trailers"));
            // What is left of the deadline, not the configured timeout: connecting may have used some of it.
            // The gRPC spec allows at most 8 digits.
            fields.add(new HeaderField("grpc-timeout", Math.clamp(deadline.remainingMillis(), 1, 99_999_999) + "m"));
            fields.add(new HeaderField("user-agent", userAgent));
            var block = HpackEncoder.encode(fields);
            // A block larger than one frame continues in CONTINUATION frames (RFC 9113 §6.10).
            var offset = 0;
            var type = HEADERS;
            do {
                var length = Math.min(peerMaxFrame, block.length - offset);
                var last = offset + length == block.length;
                frames.write(FrameChannel.frame(type, last ? END_HEADERS : 0, STREAM, block, offset, length));
                offset += length;
                type = CONTINUATION;
            } while (offset < block.length);
        }

        /** Sends the length-prefixed message in DATA frames, waiting for WINDOW_UPDATEs when the peer's windows run out. */
        private void sendMessage(byte[] message) throws IOException, GrpcException {
            var data = ByteBuffer.allocate(5 + message.length).put((byte) 0).putInt(message.length).put(message).array();
            var offset = 0;
            do {
                while (Math.min(sendConnectionWindow, sendStreamWindow) <= 0 && data.length > 0) {
                    handle(frames.read());
                    if (remoteClosed) {
                        return;  // the server answered (an error, surely) before taking the whole request
                    }
                }
                var length = (int) Math.min(Math.min(peerMaxFrame, data.length - offset),
                        Math.min(sendConnectionWindow, sendStreamWindow));
                var last = offset + length == data.length;
                frames.write(FrameChannel.frame(DATA, last ? END_STREAM : 0, STREAM, data, offset, length));
                sendConnectionWindow -= length;
                sendStreamWindow -= length;
                offset += length;
            } while (offset < data.length);
        }

        private void handle(FrameChannel.Frame f) throws IOException, GrpcException {
            if (headerBlock != null && f.type() != CONTINUATION) {
                throw protocolError("expected CONTINUATION, got frame type " + f.type());
            }
            switch (f.type()) {
                case SETTINGS -> onSettings(f);
                case PING -> {
                    if (!f.has(ACK)) {
                        frames.writeFrame(PING, ACK, 0, f.payload());
                    }
                }
                case WINDOW_UPDATE -> onWindowUpdate(f);
                case HEADERS -> onHeaders(f);
                case CONTINUATION -> onContinuation(f);
                case DATA -> onData(f);
                case RST_STREAM -> onReset(f);
                case GOAWAY -> onGoAway(f);
                case PUSH_PROMISE -> throw protocolError("PUSH_PROMISE although push is disabled");
                default -> {
                    // Unknown frame types must be ignored (RFC 9113 §4.1).
                }
            }
        }

        private void onSettings(FrameChannel.Frame f) throws IOException, GrpcException {
            if (f.has(ACK)) {
                return;
            }
            var p = ByteBuffer.wrap(f.payload());
            if (p.remaining() % 6 != 0) {
                throw protocolError("SETTINGS payload of " + p.remaining() + " bytes");
            }
            while (p.hasRemaining()) {
                var id = p.getShort() & 0xffff;
                var value = p.getInt();
                switch (id) {
                    case SETTINGS_INITIAL_WINDOW_SIZE -> {
                        if (value < 0) {
                            throw protocolError("INITIAL_WINDOW_SIZE " + Integer.toUnsignedString(value));
                        }
                        sendStreamWindow += (long) value - peerInitialWindow;
                        peerInitialWindow = value;
                    }
                    case SETTINGS_MAX_FRAME_SIZE -> {
                        if (value < FrameChannel.DEFAULT_MAX_FRAME_SIZE || value > 0xff_ffff) {
                            throw protocolError("MAX_FRAME_SIZE " + value);
                        }
                        peerMaxFrame = value;
                    }
                    default -> {
                        // HEADER_TABLE_SIZE only limits an encoder's dynamic table, and ours never uses one.
                    }
                }
            }
            frames.writeFrame(SETTINGS, ACK, 0, new byte[0]);
        }

        private void onWindowUpdate(FrameChannel.Frame f) throws GrpcException {
            if (f.payload().length != 4) {
                throw protocolError("WINDOW_UPDATE of " + f.payload().length + " bytes");
            }
            var increment = ByteBuffer.wrap(f.payload()).getInt() & 0x7fff_ffff;
            if (f.streamId() == 0) {
                sendConnectionWindow += increment;
            } else if (f.streamId() == STREAM) {
                sendStreamWindow += increment;
            }
        }

        private void onHeaders(FrameChannel.Frame f) throws GrpcException {
            if (f.streamId() != STREAM) {
                throw protocolError("HEADERS on stream " + f.streamId());
            }
            var start = contentStart(f, f.has(PRIORITY) ? 5 : 0);
            var end = contentEnd(f, start);
            headerBlock = new ByteArrayOutputStream();
            headerBlock.write(f.payload(), start, end - start);
            headerBlockEndsStream = f.has(END_STREAM);
            if (f.has(END_HEADERS)) {
                endHeaderBlock();
            }
        }

        private void onContinuation(FrameChannel.Frame f) throws GrpcException {
            if (headerBlock == null || f.streamId() != STREAM) {
                throw protocolError("unexpected CONTINUATION on stream " + f.streamId());
            }
            headerBlock.write(f.payload(), 0, f.payload().length);
            if (headerBlock.size() > MAX_HEADER_LIST) {
                throw new GrpcException(GrpcException.INTERNAL, "ipamd sent a header block over " + MAX_HEADER_LIST + " bytes");
            }
            if (f.has(END_HEADERS)) {
                endHeaderBlock();
            }
        }

        private void endHeaderBlock() throws GrpcException {
            List<HeaderField> fields;
            try {
                fields = decoder.decode(headerBlock.toByteArray());
            } catch (HpackException e) {
                throw new GrpcException(GrpcException.INTERNAL, "cannot decode ipamd's headers (COMPRESSION_ERROR): " + e.getMessage());
            }
            headerBlock = null;
            if (headers == null) {
                headers = fields;
            } else {
                trailers = fields;
            }
            if (headerBlockEndsStream) {
                remoteClosed = true;
            }
        }

        private void onData(FrameChannel.Frame f) throws IOException, GrpcException {
            if (f.streamId() != STREAM) {
                throw protocolError("DATA on stream " + f.streamId());
            }
            var p = f.payload();
            var start = contentStart(f, 0);
            var end = contentEnd(f, start);
            if (body.size() + end - start > MAX_MESSAGE + 5) {
                throw new GrpcException(GrpcException.RESOURCE_EXHAUSTED, "ipamd's reply exceeds " + MAX_MESSAGE + " bytes");
            }
            body.write(p, start, end - start);
            if (f.has(END_STREAM)) {
                remoteClosed = true;
                return;
            }
            // Flow control counts the whole frame, padding included; hand the credit back once half is used.
            unackedConnection += p.length;
            unackedStream += p.length;
            if (unackedConnection >= RECEIVE_WINDOW / 2) {
                frames.writeFrame(WINDOW_UPDATE, 0, 0, ByteBuffer.allocate(4).putInt(unackedConnection).array());
                unackedConnection = 0;
            }
            if (unackedStream >= RECEIVE_WINDOW / 2) {
                frames.writeFrame(WINDOW_UPDATE, 0, STREAM, ByteBuffer.allocate(4).putInt(unackedStream).array());
                unackedStream = 0;
            }
        }

        private void onReset(FrameChannel.Frame f) throws GrpcException {
            if (f.streamId() != STREAM) {
                return;
            }
            var error = f.payload().length == 4 ? ByteBuffer.wrap(f.payload()).getInt() : -1;
            throw new GrpcException(Http2Errors.toGrpcCode(error), "ipamd reset the stream (" + Http2Errors.name(error) + ")");
        }

        private void onGoAway(FrameChannel.Frame f) throws GrpcException {
            if (f.payload().length < 8) {
                throw protocolError("GOAWAY of " + f.payload().length + " bytes");
            }
            var p = ByteBuffer.wrap(f.payload());
            var lastStream = p.getInt() & 0x7fff_ffff;
            var error = p.getInt();
            var debug = new String(f.payload(), 8, f.payload().length - 8, StandardCharsets.UTF_8);
            if (lastStream < STREAM) {
                throw new GrpcException(GrpcException.UNAVAILABLE, "ipamd is shutting down and did not take the call (GOAWAY "
                        + Http2Errors.name(error) + (debug.isEmpty() ? "" : ": " + debug) + ")");
            }
            // Our stream was accepted: it may still complete, so keep reading.
        }

        /** Where a frame's content starts: after the pad-length octet of a PADDED frame and {@code skip} more octets. */
        private int contentStart(FrameChannel.Frame f, int skip) throws GrpcException {
            var start = (f.has(PADDED) ? 1 : 0) + skip;
            if (start > f.payload().length) {
                throw protocolError("frame type " + f.type() + " too short for its flags");
            }
            return start;
        }

        /** Where a frame's content ends: before the padding of a PADDED frame (RFC 9113 §6.1). */
        private int contentEnd(FrameChannel.Frame f, int start) throws GrpcException {
            var end = f.payload().length - (f.has(PADDED) ? f.payload()[0] & 0xff : 0);
            if (end < start) {
                throw protocolError("frame type " + f.type() + " has more padding than payload");
            }
            return end;
        }

        private byte[] result() throws GrpcException {
            var status = header(headers, ":status");
            if (!"200".equals(status)) {
                throw new GrpcException(Http2Errors.httpStatusToGrpcCode(status), "ipamd answered HTTP status " + status);
            }
            // A trailers-only response carries grpc-status in its only header block.
            var finalBlock = trailers != null ? trailers : headers;
            var grpcStatus = header(finalBlock, "grpc-status");
            if (grpcStatus == null) {
                throw new GrpcException(GrpcException.INTERNAL, "ipamd's reply ended without grpc-status");
            }
            int code;
            try {
                code = Integer.parseInt(grpcStatus);
            } catch (NumberFormatException e) {
                throw new GrpcException(GrpcException.INTERNAL, "ipamd sent a malformed grpc-status '" + grpcStatus + "'");
            }
            if (code != 0) {
                var message = header(finalBlock, "grpc-message");
                throw new GrpcException(code, message == null ? "(no message)" : PercentDecoding.decode(message));
            }
            return message(body.toByteArray());
        }

        private static byte[] message(byte[] data) throws GrpcException {
            if (data.length < 5) {
                throw new GrpcException(GrpcException.INTERNAL, "ipamd's reply holds " + data.length + " bytes, not a gRPC message");
            }
            var buf = ByteBuffer.wrap(data);
            if (buf.get() != 0) {
                throw new GrpcException(GrpcException.INTERNAL, "ipamd sent a compressed message, which this client never asked for");
            }
            var length = buf.getInt();
            if (length != data.length - 5) {
                throw new GrpcException(GrpcException.INTERNAL, "ipamd's reply declares " + length + " bytes but carries "
                        + (data.length - 5) + " (a unary call returns exactly one message)");
            }
            var out = new byte[length];
            buf.get(out);
            return out;
        }

        private static String header(List<HeaderField> fields, String name) {
            if (fields == null) {
                return null;
            }
            for (var f : fields) {
                if (f.name().equals(name)) {
                    return f.value();
                }
            }
            return null;
        }

        private static GrpcException protocolError(String what) {
            return new GrpcException(GrpcException.INTERNAL, "HTTP/2 protocol error from ipamd: " + what);
        }
    }
}
