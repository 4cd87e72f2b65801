package io.vpccni.cni.grpc;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Connects to ipamd's Unix socket without ever blocking past the call's deadline.
 *
 * <p>A blocking connect to a Unix socket whose accept queue is full waits in the kernel until the daemon
 * accepts, however long that takes. A non-blocking one fails at once with EAGAIN instead (Linux never
 * answers EINPROGRESS for Unix sockets), and nothing can be polled for room in the queue, so a full queue
 * is retried with a short, growing pause until the deadline. A refused connection or a missing socket is
 * final: the daemon is not running, and waiting would only delay the runtime's own retry.
 */
final class UnixConnector {
    private static final long FIRST_PAUSE_MILLIS = 1;
    private static final long LONGEST_PAUSE_MILLIS = 50;

    private UnixConnector() {
    }

    /** @return a connected channel in non-blocking mode */
    static SocketChannel connect(Path socket, Deadline deadline) throws TransportException {
        var address = UnixDomainSocketAddress.of(socket);
        var pause = FIRST_PAUSE_MILLIS;
        while (true) {
            String obstacle;
            SocketChannel channel = null;
            try {
                channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                channel.configureBlocking(false);
                if (channel.connect(address) || channel.finishConnect()) {
                    return channel;
                }
                obstacle = "the connection stayed pending";
            } catch (ConnectException | BindException e) {  // refused, or permission denied: final
                close(channel);
                throw TransportException.unreachable(socket, e.getMessage());
            } catch (IOException e) {
                // Errno is not exposed and the message may be localised, so the file tells the cases apart:
                // no file means no daemon; with the file there, the failure is EAGAIN, a full accept queue.
                if (!Files.exists(socket)) {
                    close(channel);
                    throw TransportException.unreachable(socket, "there is no socket at that path; is aws-node running on this node?");
                }
                obstacle = "its accept queue stayed full: " + e.getMessage();
            }
            close(channel);
            var remaining = deadline.remainingMillis();
            if (remaining <= 0) {
                throw TransportException.deadlinePassed(socket, TransportException.Phase.CONNECT, deadline, obstacle);
            }
            try {
                Thread.sleep(Math.min(pause, remaining));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw TransportException.broken(socket, TransportException.Phase.CONNECT, "interrupted");
            }
            pause = Math.min(pause * 2, LONGEST_PAUSE_MILLIS);
        }
    }

    private static void close(SocketChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // A channel that never connected holds nothing worth reporting.
        }
    }
}
