package io.vpccni.ipamd.testing;

import io.vpccni.ipamd.net.NetNs;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** One UDP round trip between namespaces: proves a path works both ways, and shows the source address it arrived with. */
public final class UdpEcho {
    private UdpEcho() {
    }

    /**
     * Sends "ping" from inside {@code from} to {@code target} where an echo listens inside {@code to}.
     * @return the source address the packet arrived with, or null when no answer came back within {@code timeoutMillis}
     */
    public static String exchange(NetNs from, NetNs to, String target, int timeoutMillis) {
        return exchange(from, to, target, target, timeoutMillis);
    }

    /** As above, with the echo listening on {@code listen} while the packet is sent to {@code target} (a Service address, say). */
    public static String exchange(NetNs from, NetNs to, String listen, String target, int timeoutMillis) {
        try (var echo = to.run(DatagramChannel::open)) {
            echo.bind(new InetSocketAddress(listen, 0));
            var port = ((InetSocketAddress) echo.getLocalAddress()).getPort();
            var executor = Executors.newSingleThreadExecutor();
            try {
                var seen = executor.submit(() -> {
                    var sender = (InetSocketAddress) echo.receive(ByteBuffer.allocate(64));
                    echo.send(ByteBuffer.wrap("pong".getBytes(StandardCharsets.UTF_8)), sender);
                    return sender.getAddress().getHostAddress();
                });
                boolean answered = from.run(() -> {
                    try (var client = DatagramChannel.open()) {
                        client.socket().setSoTimeout(timeoutMillis);
                        client.send(ByteBuffer.wrap("ping".getBytes(StandardCharsets.UTF_8)), new InetSocketAddress(target, port));
                        client.socket().receive(new DatagramPacket(new byte[64], 64));
                        return true;
                    } catch (SocketTimeoutException e) {
                        return false;
                    }
                });
                return answered ? seen.get(2, TimeUnit.SECONDS) : null;
            } finally {
                executor.shutdownNow();
            }
        } catch (IOException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("UDP exchange with " + target + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
