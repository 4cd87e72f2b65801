package io.vpccni.ipamd.pod;

import io.vpccni.ipamd.net.Netlink;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinkReaperTest {
    /** Issue 10, defect 8: one unexpected failure must not kill the reaper and leave every later waiter blocked. */
    @Test
    void anUnexpectedFailureDoesNotStopTheReaper() {
        var deleted = new CopyOnWriteArrayList<Integer>();
        var netlink = (Netlink) Proxy.newProxyInstance(Netlink.class.getClassLoader(), new Class<?>[]{Netlink.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("deleteLink") && args[0] instanceof Integer index) {
                        if (index == 7) {
                            throw new IllegalStateException("the socket broke");
                        }
                        deleted.add(index);
                    }
                    return null;
                });
        try (var reaper = new LinkReaper(netlink)) {
            reaper.reap(7, "eni7");
            reaper.reap(8, "eni8");
            assertTimeoutPreemptively(java.time.Duration.ofSeconds(30), () -> {
                assertTrue(reaper.awaitGone(8, java.time.Duration.ofSeconds(30)));
                reaper.awaitIdle();
            });
            assertEquals(List.of(8), deleted);
        }
    }

    /** A deletion stuck in the kernel does not hold an ADD for ever: the wait for it ends at its limit. */
    @Test
    void waitingForAStuckDeletionEndsAtItsLimit() throws Exception {
        var stuck = new java.util.concurrent.CountDownLatch(1);
        var netlink = (Netlink) Proxy.newProxyInstance(Netlink.class.getClassLoader(), new Class<?>[]{Netlink.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("deleteLink")) {
                        stuck.await();
                    }
                    return null;
                });
        try (var reaper = new LinkReaper(netlink)) {
            reaper.reap(9, "eni9");
            assertFalse(reaper.awaitGone(9, java.time.Duration.ofMillis(50)));
            stuck.countDown();
            assertTrue(reaper.awaitGone(9, java.time.Duration.ofSeconds(30)));
        }
    }
}
