package io.vpccni.cni;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A daemon on a Unix socket that never completes a call, in one of the ways a hung or hostile daemon can:
 * an accept queue that stays full, silence, a flood of frames that never ends the stream, or bytes that
 * trickle in. It reads and discards whatever the plugin sends, so the plugin's writes never block: only the
 * plugin's own deadline can end the call.
 */
final class HostileDaemon implements AutoCloseable {
    private final ServerSocketChannel server;
    private final List<SocketChannel> queued = new ArrayList<>();
    private final Thread thread;

    private interface Behaviour {
        void play(SocketChannel connection) throws IOException, InterruptedException;
    }

    private HostileDaemon(Path socket, int backlog, Behaviour behaviour) throws IOException {
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket), backlog);
        thread = behaviour == null ? null : Thread.ofPlatform().name("hostile-daemon").start(() -> {
            try (var connection = server.accept()) {
                behaviour.play(connection);
            } catch (IOException | InterruptedException e) {
                // the plugin hung up, or the test is over: either way this daemon is done
            }
        });
    }

    /** Bound with a backlog of 1 and never accepting; other clients fill the queue until the kernel refuses more. */
    static HostileDaemon withFullAcceptQueue(Path socket) throws IOException {
        var daemon = new HostileDaemon(socket, 1, null);
        while (true) {
            var client = SocketChannel.open(StandardProtocolFamily.UNIX);
            client.configureBlocking(false);
            try {
                client.connect(UnixDomainSocketAddress.of(socket));
                daemon.queued.add(client);
            } catch (IOException full) {  // EAGAIN: the queue is full
                client.close();
                return daemon;
            }
            if (daemon.queued.size() > 64) {
                throw new IllegalStateException("the accept queue of " + socket + " never filled");
            }
        }
    }

    /** Accepts, reads everything, never writes. */
    static HostileDaemon silent(Path socket) throws IOException {
        return new HostileDaemon(socket, 50, connection -> pump(connection, ByteBuffer.allocate(0), null, 0));
    }

    /** Sends {@code opening} once, then {@code frame} over and over, as fast as the plugin takes them. */
    static HostileDaemon flooding(Path socket, byte[] opening, byte[] frame) throws IOException {
        var repeated = ByteBuffer.allocate(256 * frame.length);
        while (repeated.hasRemaining()) {
            repeated.put(frame);
        }
        return new HostileDaemon(socket, 50, connection -> pump(connection, ByteBuffer.wrap(opening), repeated.flip(), 0));
    }

    /** Sends {@code frame} over and over, one byte at a time with a pause between bytes. */
    static HostileDaemon trickling(Path socket, byte[] frame, long pauseMillis) throws IOException {
        return new HostileDaemon(socket, 50, connection -> pump(connection, ByteBuffer.allocate(0), ByteBuffer.wrap(frame), pauseMillis));
    }

    /**
     * Writes {@code opening}, then {@code repeated} again and again (none: silence), and discards what the
     * plugin sends, until the plugin hangs up or the test closes this daemon. With a pause it writes one
     * byte at a time.
     */
    private static void pump(SocketChannel connection, ByteBuffer opening, ByteBuffer repeated, long pauseMillis)
            throws IOException, InterruptedException {
        connection.configureBlocking(false);
        var sink = ByteBuffer.allocate(1 << 16);
        var out = opening;
        try (var selector = Selector.open()) {
            var key = connection.register(selector, SelectionKey.OP_READ);
            while (!Thread.currentThread().isInterrupted()) {  // close() interrupts
                sink.clear();
                if (connection.read(sink) < 0) {
                    return;
                }
                if (!out.hasRemaining() && repeated != null) {
                    out = repeated.rewind();
                }
                if (!out.hasRemaining()) {
                    await(selector, key, SelectionKey.OP_READ);
                } else if (pauseMillis > 0) {
                    out.position(out.position() + connection.write(out.slice(out.position(), 1)));
                    Thread.sleep(pauseMillis);
                } else if (connection.write(out) == 0) {
                    await(selector, key, SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                }
            }
        }
    }

    private static void await(Selector selector, SelectionKey key, int ops) throws IOException {
        key.interestOps(ops);
        selector.select();  // close() interrupts the thread, which wakes this up
        selector.selectedKeys().clear();
    }

    /** One HTTP/2 frame (RFC 9113 §4.1). */
    static byte[] frame(int type, int flags, int stream, byte[] payload) {
        return ByteBuffer.allocate(9 + payload.length)
                .put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length)
                .put((byte) type).put((byte) flags).putInt(stream).put(payload).array();
    }

    static byte[] concat(byte[]... parts) {
        var total = 0;
        for (var p : parts) {
            total += p.length;
        }
        var out = ByteBuffer.allocate(total);
        for (var p : parts) {
            out.put(p);
        }
        return out.array();
    }

    @Override
    public void close() throws Exception {
        server.close();
        for (var client : queued) {
            client.close();
        }
        if (thread != null) {
            thread.interrupt();
            thread.join();
        }
    }
}
