package io.vpccni.test.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A front door on loopback that relays TCP connections to a server, and can be shut: while shut, connecting is
 * refused (nothing listens on the port) and every connection it relayed is cut, as when an API server goes away.
 * Opened again on the same port, new connections reach the server and its state, which never went anywhere. TLS
 * passes through untouched.
 */
public final class TcpRelay implements AutoCloseable {
    private final InetSocketAddress target;
    private final int port;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private ServerSocketChannel listener;

    /** Opens the door on an ephemeral loopback port. */
    public TcpRelay(InetSocketAddress target) {
        this.target = target;
        this.listener = bind(0);
        this.port = ((InetSocketAddress) localAddress(listener)).getPort();
        acceptLoop(listener);
    }

    public int port() {
        return port;
    }

    public synchronized boolean isOpen() {
        return listener != null;
    }

    /** Refuses new connections and cuts every relayed one. */
    public synchronized void shut() {
        if (listener == null) {
            return;
        }
        closeQuietly(listener);
        listener = null;
        for (var channel : open) {
            closeQuietly(channel);
        }
        open.clear();
    }

    /** Listens again on the same port. */
    public synchronized void reopen() {
        if (listener == null) {
            listener = bind(port);
            acceptLoop(listener);
        }
    }

    @Override
    public void close() {
        shut();
    }

    private static ServerSocketChannel bind(int port) {
        try {
            var channel = ServerSocketChannel.open();
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return channel;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
    }

    private void acceptLoop(ServerSocketChannel server) {
        Thread.ofVirtual().name("relay-accept-" + port).start(() -> {
            while (server.isOpen()) {
                try {
                    var client = server.accept();
                    var upstream = SocketChannel.open(target);
                    open.add(client);
                    open.add(upstream);
                    if (!server.isOpen()) {  // shut while this connection was being made
                        closeQuietly(client);
                        closeQuietly(upstream);
                        return;
                    }
                    pump(client, upstream);
                    pump(upstream, client);
                } catch (IOException e) {
                    return;  // shut
                }
            }
        });
    }

    private void pump(SocketChannel from, SocketChannel to) {
        Thread.ofVirtual().name("relay-pump-" + port).start(() -> {
            var buffer = ByteBuffer.allocate(16 * 1024);
            try {
                while (from.read(buffer) >= 0) {
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        to.write(buffer);
                    }
                    buffer.clear();
                }
            } catch (IOException e) {
                // cut: shut, or the other side went
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        });
    }

    private static java.net.SocketAddress localAddress(ServerSocketChannel channel) {
        try {
            return channel.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void closeQuietly(java.nio.channels.Channel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
