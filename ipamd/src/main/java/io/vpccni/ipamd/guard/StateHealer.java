package io.vpccni.ipamd.guard;

import io.vpccni.ipamd.net.Address;
import io.vpccni.ipamd.net.Errno;
import io.vpccni.ipamd.net.Netlink;
import io.vpccni.ipamd.net.NetlinkException;
import io.vpccni.ipamd.net.NetlinkMonitor;
import io.vpccni.ipamd.net.Route;
import io.vpccni.ipamd.net.Rule;
import io.vpccni.ipamd.owned.OwnedObjects;
import io.vpccni.ipamd.owned.OwnedState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Puts back the addresses, routes and policy rules this daemon owns when someone removes them: a
 * systemd-networkd restart flushes every foreign rule (upstream's #3309), nm-cloud-setup or a person may
 * remove routes or addresses. The netlink monitor reports each deletion; a short debounce gathers a flush's
 * burst into one repair; a periodic full check backs it up. Only missing objects of {@code owned} are
 * added, addresses before the routes that need them and routes before the rules that point at them;
 * nothing else is ever touched, an object whose link is gone (a pod being deleted) is left alone, and each
 * write happens only while its object is still owned, so a DEL racing a pass never sees its pod come back.
 */
public final class StateHealer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StateHealer.class);
    static final Duration DEBOUNCE = Duration.ofMillis(5);

    /** How many objects one pass restored. */
    public record Repair(int addresses, int routes, int rules) {
        public int total() {
            return addresses + routes + rules;
        }
    }

    private final Netlink host;
    private final OwnedObjects owned;
    private final Duration fullCheckInterval;
    private final Semaphore wakeups = new Semaphore(0);
    private final AtomicLong restoredAddresses = new AtomicLong();
    private final AtomicLong restoredRoutes = new AtomicLong();
    private final AtomicLong restoredRules = new AtomicLong();
    private volatile boolean running = true;
    private NetlinkMonitor monitor;
    private Thread thread;

    public StateHealer(Netlink host, Supplier<OwnedState> owned, Duration fullCheckInterval) {
        this(host, OwnedObjects.of(owned), fullCheckInterval);
    }

    public StateHealer(Netlink host, OwnedObjects owned, Duration fullCheckInterval) {
        this.host = host;
        this.owned = owned;
        this.fullCheckInterval = fullCheckInterval;
    }

    public void start() {
        monitor = NetlinkMonitor.start(event -> {
            var removal = switch (event) {
                case NetlinkMonitor.Event.RuleChanged r -> r.removed();
                case NetlinkMonitor.Event.RouteChanged r -> r.removed();
                case NetlinkMonitor.Event.AddressChanged a -> a.removed();
                case NetlinkMonitor.Event.Overflow o -> true;
                default -> false;
            };
            if (removal) {
                wakeups.release();
            }
        });
        thread = Thread.ofPlatform().daemon().name("state-healer").start(this::loop);
    }

    private void loop() {
        while (running) {
            try {
                if (wakeups.tryAcquire(fullCheckInterval.toMillis(), TimeUnit.MILLISECONDS)) {
                    Thread.sleep(DEBOUNCE.toMillis());  // a flush removes many objects at once: repair them together
                    wakeups.drainPermits();
                    healOnce("a removal the netlink monitor reported");
                } else {
                    healOnce("the periodic full check");
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("repair failed: {}", e.getMessage());
            }
        }
    }

    /** Adds every owned object that is missing. */
    public Repair healOnce(String cause) {
        var state = owned.snapshot();
        var links = new HashSet<Integer>();
        if (!state.addresses().isEmpty() || !state.routes().isEmpty()) {
            host.links().forEach(l -> links.add(l.index()));
        }
        var addresses = 0;
        if (!state.addresses().isEmpty()) {
            var present = new HashSet<>(host.addresses());
            for (var a : state.addresses()) {
                if (!present.contains(a) && links.contains(a.linkIndex()) && restore(a, () -> addAddress(a))) {
                    addresses++;
                }
            }
        }
        var routes = 0;
        if (!state.routes().isEmpty()) {
            var present = new HashSet<>(host.routes(0));
            for (var r : state.routes().stream().sorted((x, y) -> Boolean.compare(x.gateway() != null, y.gateway() != null)).toList()) {
                if (!present.contains(r) && links.contains(r.oif()) && restore(r, () -> host.replaceRoute(r))) {
                    routes++;
                }
            }
        }
        var rules = 0;
        var present = new HashSet<>(host.rules());
        for (var rule : state.rules()) {
            if (!present.contains(rule) && restore(rule, () -> host.addRule(rule))) {
                rules++;
            }
        }
        var repair = new Repair(addresses, routes, rules);
        if (repair.total() > 0) {
            restoredAddresses.addAndGet(addresses);
            restoredRoutes.addAndGet(routes);
            restoredRules.addAndGet(rules);
            log.warn("restored {} address(es), {} route(s) and {} policy rule(s) someone removed (noticed by {})",
                    addresses, routes, rules, cause);
        }
        return repair;
    }

    private void addAddress(Address a) {
        var link = host.link(a.linkIndex()).orElseThrow(() -> new NetlinkException("restore " + a.prefix(), Errno.ENODEV, "no link " + a.linkIndex()));
        host.addAddress(link.name(), a.prefix());
    }

    private boolean restore(Object what, Runnable add) {
        try {
            return owned.writeIfOwned(what, add);
        } catch (NetlinkException e) {
            if (!e.is(Errno.EEXIST) && !e.is(Errno.ENODEV)) {
                log.warn("cannot restore {}: {}", what, e.getMessage());
            }
            return false;
        }
    }

    public long restoredRules() {
        return restoredRules.get();
    }

    public long restoredRoutes() {
        return restoredRoutes.get();
    }

    public long restoredAddresses() {
        return restoredAddresses.get();
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
