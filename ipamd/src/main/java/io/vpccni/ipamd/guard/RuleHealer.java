package io.vpccni.ipamd.guard;

import io.vpccni.ipamd.net.Errno;
import io.vpccni.ipamd.net.Netlink;
import io.vpccni.ipamd.net.NetlinkException;
import io.vpccni.ipamd.net.NetlinkMonitor;
import io.vpccni.ipamd.net.Rule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Puts back the policy rules this daemon owns when someone removes them: a systemd-networkd restart flushes
 * every foreign rule (upstream's #3309), as do nm-cloud-setup or a person. The netlink monitor reports each
 * deletion; a short debounce gathers a flush's burst into one repair; a periodic full check backs it up.
 * Only missing rules of {@code owned} are added: nothing else is ever touched.
 */
public final class RuleHealer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RuleHealer.class);
    static final Duration DEBOUNCE = Duration.ofMillis(5);

    private final Netlink host;
    private final Supplier<Collection<Rule>> owned;
    private final Duration fullCheckInterval;
    private final Semaphore wakeups = new Semaphore(0);
    private final AtomicLong restored = new AtomicLong();
    private volatile boolean running = true;
    private NetlinkMonitor monitor;
    private Thread thread;

    public RuleHealer(Netlink host, Supplier<Collection<Rule>> owned, Duration fullCheckInterval) {
        this.host = host;
        this.owned = owned;
        this.fullCheckInterval = fullCheckInterval;
    }

    public void start() {
        monitor = NetlinkMonitor.start(event -> {
            if (event instanceof NetlinkMonitor.Event.RuleChanged r && r.removed() || event instanceof NetlinkMonitor.Event.Overflow) {
                wakeups.release();
            }
        });
        thread = Thread.ofPlatform().daemon().name("rule-healer").start(this::loop);
    }

    private void loop() {
        while (running) {
            try {
                if (wakeups.tryAcquire(fullCheckInterval.toMillis(), TimeUnit.MILLISECONDS)) {
                    Thread.sleep(DEBOUNCE.toMillis());  // a flush removes many rules at once: repair them together
                    wakeups.drainPermits();
                }
                healOnce("the netlink monitor or the periodic check");
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("rule repair failed: {}", e.getMessage());
            }
        }
    }

    /** Adds every owned rule that is missing. @return how many it restored */
    public int healOnce(String cause) {
        var present = new HashSet<>(host.rules());
        var count = 0;
        for (var rule : owned.get()) {
            if (present.contains(rule)) {
                continue;
            }
            try {
                host.addRule(rule);
                count++;
            } catch (NetlinkException e) {
                if (!e.is(Errno.EEXIST)) {
                    log.warn("cannot restore {}: {}", rule, e.getMessage());
                }
            }
        }
        if (count > 0) {
            restored.addAndGet(count);
            log.warn("restored {} policy rule(s) someone removed (noticed by {})", count, cause);
        }
        return count;
    }

    /** Rules restored since start (a metric). */
    public long restored() {
        return restored.get();
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
        if (monitor != null) {
            monitor.close();
        }
    }
}
