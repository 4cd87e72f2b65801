package io.vpccni.ipamd.pod;

import io.vpccni.ipamd.net.Errno;
import io.vpccni.ipamd.net.Netlink;
import io.vpccni.ipamd.net.NetlinkException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Deletes pod veths in the background. Unregistering a link waits for RCU grace periods (tens of
 * milliseconds), so DEL removes the pod's routes and rules at once, which stops its traffic, and hands
 * the veth here. Links are deleted by ifindex, so a newer veth of the same name is never touched. Uses a
 * netlink socket of its own so the slow deletions never hold up other pods' calls.
 */
public final class LinkReaper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LinkReaper.class);

    private record Doomed(int index, String name) {
    }

    private final Netlink netlink;
    private final LinkedBlockingQueue<Doomed> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private final java.util.Set<Integer> pending = new java.util.HashSet<>();

    public LinkReaper(Netlink netlink) {
        this.netlink = netlink;
        this.thread = Thread.ofPlatform().daemon().name("link-reaper").start(this::loop);
    }

    public void reap(int index, String name) {
        synchronized (this) {
            if (!pending.add(index)) {
                return;
            }
        }
        queue.add(new Doomed(index, name));
    }

    /**
     * Waits until the link with {@code index}, if handed over, is gone: a new pod must not adopt a dying veth.
     *
     * @return false when it is still pending after {@code limit} (a deletion stuck in the kernel)
     */
    public synchronized boolean awaitGone(int index, java.time.Duration limit) throws InterruptedException {
        var deadline = System.nanoTime() + limit.toNanos();
        while (pending.contains(index)) {
            var left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    private void loop() {
        while (running || !queue.isEmpty()) {
            Doomed d;
            try {
                d = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (d == null) {
                continue;
            }
            try {
                netlink.deleteLink(d.index());
            } catch (NetlinkException e) {
                if (!e.is(Errno.ENODEV)) {
                    log.error("could not delete veth {} (ifindex {}); garbage collection will retry: {}", d.name(), d.index(), e.getMessage());
                }
            } catch (RuntimeException e) {  // the thread must outlive any one failure, or every later waiter blocks
                log.error("could not delete veth {} (ifindex {}); garbage collection will retry", d.name(), d.index(), e);
            } finally {
                synchronized (this) {
                    pending.remove(d.index());
                    notifyAll();
                }
            }
        }
    }

    /** Waits until every veth handed over so far is gone. */
    public synchronized void awaitIdle() throws InterruptedException {
        while (!pending.isEmpty()) {
            wait();
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        netlink.close();
    }
}
