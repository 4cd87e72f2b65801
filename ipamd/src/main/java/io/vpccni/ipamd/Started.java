package io.vpccni.ipamd;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;

/** What the daemon started, closed in reverse order on stop; one failure is logged and the rest still closed. */
final class Started implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Started.class);

    private final Deque<AutoCloseable> items = new ArrayDeque<>();
    private boolean closed;

    /** Keeps {@code item} to close at stop; closes it at once if the stop has begun. */
    synchronized <T extends AutoCloseable> T add(T item) {
        if (closed) {
            closeQuietly(item);
        } else {
            items.push(item);
        }
        return item;
    }

    synchronized boolean closed() {
        return closed;
    }

    @Override
    public synchronized void close() {
        closed = true;
        while (!items.isEmpty()) {
            closeQuietly(items.pop());
        }
    }

    private static void closeQuietly(AutoCloseable item) {
        try {
            item.close();
        } catch (Exception e) {
            log.warn("stopping {}: {}", item.getClass().getSimpleName(), e.getMessage());
        }
    }
}
