package io.vpccni.ipamd.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A NETLINK_ROUTE socket: requests with ACKs, multi-part dumps and multicast events. A socket belongs to
 * the namespace it was created in, whichever thread uses it later. Calls on one socket are serialised.
 */
final class NetlinkSocket implements AutoCloseable {
    private static final int RECEIVE_BUFFER = 1 << 20;

    private final int fd;
    private final byte[] rx = new byte[256 * 1024];
    private int seq;
    private volatile boolean closed;

    private NetlinkSocket(int fd) {
        this.fd = fd;
    }

    /** A socket in the calling thread's namespace, subscribed to {@code groups} (0 for none). */
    static NetlinkSocket open(int groups) {
        var libc = LibC.get();
        var fd = libc.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, LibC.NETLINK_ROUTE);
        if (fd < 0) {
            throw failure("socket(AF_NETLINK)", LibC.errno());
        }
        var socket = new NetlinkSocket(fd);
        try {
            socket.setIntOption(LibC.SOL_SOCKET, LibC.SO_RCVBUF, RECEIVE_BUFFER);
            socket.setIntOption(LibC.SOL_NETLINK, LibC.NETLINK_EXT_ACK, 1);
            var addr = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder())
                    .putShort((short) LibC.AF_NETLINK).putShort((short) 0).putInt(0).putInt(groups).array();
            if (libc.bind(fd, addr, addr.length) != 0) {
                throw failure("bind(AF_NETLINK, groups 0x" + Integer.toHexString(groups) + ")", LibC.errno());
            }
            return socket;
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** A socket created inside {@code ns}; it stays bound to that namespace. */
    static NetlinkSocket openIn(NetNs ns, int groups) {
        return ns.run(() -> open(groups));
    }

    /** Makes blocking receives return every {@code millis} so an event loop can notice it was closed. */
    void setReceiveTimeout(int millis) {
        var tv = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).putLong(millis / 1000).putLong((millis % 1000) * 1000L).array();
        if (LibC.get().setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, tv, tv.length) != 0) {
            throw failure("setsockopt(SO_RCVTIMEO)", LibC.errno());
        }
    }

    private void setIntOption(int level, int name, int value) {
        var v = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array();
        if (LibC.get().setsockopt(fd, level, name, v, 4) != 0) {
            throw failure("setsockopt(" + level + ", " + name + ")", LibC.errno());
        }
    }

    /**
     * Sends a request with NLM_F_ACK and waits for its ACK. @return the replies before the ACK (a GET's answer)
     * @throws NetlinkException naming {@code what}
     */
    synchronized List<ByteBuffer> execute(NlMessage message, String what) {
        return exchange(message, what, false);
    }

    /** Sends a dump request and collects every reply message. */
    synchronized List<ByteBuffer> dump(NlMessage message, String what) {
        return exchange(message, what, true);
    }

    private List<ByteBuffer> exchange(NlMessage message, String what, boolean dump) {
        var mySeq = ++seq;
        var bytes = message.finish(mySeq);
        if (LibC.get().send(fd, bytes, bytes.length, 0) < 0) {
            throw failure(what + ": send", LibC.errno());
        }
        var replies = new ArrayList<ByteBuffer>();
        while (true) {
            var n = receive();
            var buf = ByteBuffer.wrap(rx, 0, n).order(ByteOrder.nativeOrder());
            var pos = 0;
            while (pos + Nl.HDRLEN <= n) {
                var len = buf.getInt(pos);
                var type = buf.getShort(pos + 4) & 0xffff;
                var replySeq = buf.getInt(pos + 8);
                if (len < Nl.HDRLEN || pos + len > n) {
                    throw new NetlinkException(what + ": malformed reply", Errno.EINVAL, "message length " + len);
                }
                if (replySeq == mySeq) {
                    if (type == Nl.NLMSG_ERROR) {
                        var error = -buf.getInt(pos + Nl.HDRLEN);
                        if (error != 0) {
                            throw new NetlinkException(what, error, extendedAck(buf, pos, len));
                        }
                        if (!dump) {
                            return replies;
                        }
                    } else if (type == Nl.NLMSG_DONE) {
                        return replies;
                    } else {
                        var copy = new byte[len];
                        buf.get(pos, copy);
                        replies.add(ByteBuffer.wrap(copy).order(ByteOrder.nativeOrder()));
                    }
                }
                pos += (len + 3) & ~3;
            }
        }
    }

    /** The kernel's own explanation (NLMSGERR_ATTR_MSG), when it sent one, else strerror. */
    private static String extendedAck(ByteBuffer buf, int pos, int len) {
        var flags = buf.getShort(pos + 6) & 0xffff;
        var errno = -buf.getInt(pos + Nl.HDRLEN);
        if ((flags & Nl.F_ACK_TLVS) != 0) {
            // The error payload is the int error plus the request's header (and body unless capped).
            var requestLen = (flags & Nl.F_CAPPED) != 0 ? Nl.HDRLEN : buf.getInt(pos + Nl.HDRLEN + 4);
            var attrsStart = pos + Nl.HDRLEN + 4 + ((requestLen + 3) & ~3);
            if (attrsStart < pos + len) {
                var msg = new NlAttrs(buf, attrsStart, pos + len).string(Nl.NLMSGERR_ATTR_MSG);
                if (msg != null && !msg.isEmpty()) {
                    return msg;
                }
            }
        }
        return LibC.get().strerror(errno);
    }

    /** Receives whatever the kernel has: events for a monitor. @return empty on timeout */
    List<ByteBuffer> receiveEvents() {
        int n;
        try {
            n = receive();
        } catch (NetlinkException e) {
            if (e.is(Errno.EAGAIN)) {
                return List.of();
            }
            throw e;
        }
        var buf = ByteBuffer.wrap(rx, 0, n).order(ByteOrder.nativeOrder());
        var out = new ArrayList<ByteBuffer>();
        var pos = 0;
        while (pos + Nl.HDRLEN <= n) {
            var len = buf.getInt(pos);
            if (len < Nl.HDRLEN || pos + len > n) {
                break;
            }
            var copy = new byte[len];
            buf.get(pos, copy);
            out.add(ByteBuffer.wrap(copy).order(ByteOrder.nativeOrder()));
            pos += (len + 3) & ~3;
        }
        return out;
    }

    private int receive() {
        while (true) {
            var n = LibC.get().recv(fd, rx, rx.length, 0);
            if (n >= 0) {
                return (int) n;
            }
            var errno = LibC.errno();
            if (errno != Errno.EINTR) {
                throw failure("recv(netlink)", errno);
            }
        }
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LibC.get().close(fd);
        }
    }

    private static NetlinkException failure(String what, int errno) {
        return new NetlinkException(what, errno, LibC.get().strerror(errno));
    }
}
