package io.vpccni.ipamd.net;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Watches link, IPv4 address, route and rule changes in one namespace and hands each to a listener, on a
 * thread of its own. When the kernel drops events (ENOBUFS), the listener gets {@link Event.Overflow} and
 * must re-read the state in full.
 */
public final class NetlinkMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NetlinkMonitor.class);
    private static final int POLL_MILLIS = 200;

    /** What changed; {@code removed} tells a deletion from an addition or change. */
    public sealed interface Event {
        record LinkChanged(Link link, boolean removed) implements Event {
        }

        record AddressChanged(Address address, boolean removed) implements Event {
        }

        record RouteChanged(Route route, boolean removed) implements Event {
        }

        record RuleChanged(Rule rule, boolean removed) implements Event {
        }

        record Overflow() implements Event {
        }
    }

    private final NetlinkSocket socket;
    private final Thread thread;
    private volatile boolean running = true;

    private NetlinkMonitor(NetlinkSocket socket, Consumer<Event> listener) {
        this.socket = socket;
        this.thread = Thread.ofPlatform().daemon().name("netlink-monitor").start(() -> loop(listener));
    }

    /** Starts watching the calling thread's namespace. */
    public static NetlinkMonitor start(Consumer<Event> listener) {
        var socket = NetlinkSocket.open(Nl.RTMGRP_LINK | Nl.RTMGRP_IPV4_IFADDR | Nl.RTMGRP_IPV4_ROUTE | Nl.RTMGRP_IPV4_RULE);
        socket.setReceiveTimeout(POLL_MILLIS);
        return new NetlinkMonitor(socket, listener);
    }

    private void loop(Consumer<Event> listener) {
        while (running) {
            try {
                for (var m : socket.receiveEvents()) {
                    var event = decode(m);
                    if (event != null) {
                        listener.accept(event);
                    }
                }
            } catch (NetlinkException e) {
                if (!running) {
                    return;
                }
                if (e.is(Errno.ENOBUFS)) {
                    log.warn("netlink monitor lost events (receive buffer overflow); a full re-read follows");
                    listener.accept(new Event.Overflow());
                } else {
                    log.error("netlink monitor: {}", e.getMessage());
                }
            } catch (RuntimeException e) {
                log.error("netlink monitor listener failed", e);
            }
        }
    }

    static Event decode(ByteBuffer m) {
        var type = m.getShort(4) & 0xffff;
        return switch (type) {
            case Nl.RTM_NEWLINK, Nl.RTM_DELLINK -> new Event.LinkChanged(RtNetlink.parseLink(m), type == Nl.RTM_DELLINK);
            case Nl.RTM_NEWADDR, Nl.RTM_DELADDR -> {
                var a = RtNetlink.parseAddress(m);
                yield a == null ? null : new Event.AddressChanged(a, type == Nl.RTM_DELADDR);
            }
            case Nl.RTM_NEWROUTE, Nl.RTM_DELROUTE -> {
                var r = RtNetlink.parseRoute(m);
                yield r == null ? null : new Event.RouteChanged(r, type == Nl.RTM_DELROUTE);
            }
            case Nl.RTM_NEWRULE, Nl.RTM_DELRULE -> m.get(Nl.HDRLEN) == Nl.AF_INET
                    ? new Event.RuleChanged(RtNetlink.parseRule(m), type == Nl.RTM_DELRULE) : null;
            default -> null;
        };
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(POLL_MILLIS * 5L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        socket.close();
    }
}
