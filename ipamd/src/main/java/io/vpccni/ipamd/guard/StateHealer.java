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
import io.vpccni.ipamd.schedule.Next;
import io.vpccni.ipamd.schedule.Scheduler;
import io.vpccni.ipamd.schedule.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Puts back the addresses, routes and policy rules this daemon owns when someone removes them: a
 * systemd-networkd restart flushes every foreign rule (upstream's #3309), nm-cloud-setup or a person may
 * remove routes or addresses. The netlink monitor reports each deletion; a short debounce gathers a flush's
 * burst into one repair. A few removals are repaired as reported, so a pass costs what changed and not what the
 * node holds (a pod's DEL removes its own rules: a pass that finds them no longer owned writes nothing and dumps
 * nothing). A flush (more than {@link #TARGETED_AT_MOST} removals), a removed address (the kernel drops the routes
 * that need it without a word) and lost events make a full pass, which dumps links, addresses, routes and rules; a
 * periodic full check, every
 * {@code fullCheckInterval} whatever else ran, backs it all up. Only missing objects of {@code owned} are
 * added, addresses before the routes that need them and routes before the rules that point at them;
 * nothing else is ever touched, an object whose link is gone (a pod being deleted) is left alone, and each
 * write happens only while its object is still owned, so a DEL racing a pass never sees its pod come back.
 */
public final class StateHealer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StateHealer.class);
    static final Duration DEBOUNCE = Duration.ofMillis(5);
    /**
     * More reported removals than this before a pass make it a full one: that is a flush (networkd's restart), whose
     * deletions the monitor may not have read yet when the pass starts; a dump sees them all, and costs little beside
     * the writes. A pod's DEL reports two or three.
     */
    static final int TARGETED_AT_MOST = 16;

    /** How many objects one pass restored. */
    /** A pass that put something back: when, what noticed it, and how much. */
    public record Heal(Instant at, String cause, Repair repair) {
    }

    /** Enough recent heals to see a pattern (one per networkd restart), bounded however often it happens. */
    private static final int RECENT_HEALS = 20;

    private final ArrayDeque<Heal> recent = new ArrayDeque<>();

    public record Repair(int addresses, int routes, int rules) {
        public int total() {
            return addresses + routes + rules;
        }
    }

    private final Netlink host;
    private final OwnedObjects owned;
    private final Duration fullCheckInterval;
    private final InstantSource clock;
    private final AtomicBoolean removalReported = new AtomicBoolean();
    /** What a full pass must follow: a removed address, lost events, or a flush (more removals than a DEL makes). */
    private final AtomicBoolean fullRequested = new AtomicBoolean();
    /** The rules and routes the monitor reported removed since the last pass. */
    private final Set<Object> reported = ConcurrentHashMap.newKeySet();
    private volatile Instant lastFullCheck;
    private final AtomicLong restoredAddresses = new AtomicLong();
    private final AtomicLong restoredRoutes = new AtomicLong();
    private final AtomicLong restoredRules = new AtomicLong();
    private volatile Task task;
    private NetlinkMonitor monitor;

    public StateHealer(Netlink host, Supplier<OwnedState> owned, Duration fullCheckInterval) {
        this(host, OwnedObjects.of(owned), fullCheckInterval);
    }

    public StateHealer(Netlink host, OwnedObjects owned, Duration fullCheckInterval) {
        this(host, owned, fullCheckInterval, InstantSource.system());
    }

    /** @param clock when the periodic full check is due (the scheduler's clock) */
    public StateHealer(Netlink host, OwnedObjects owned, Duration fullCheckInterval, InstantSource clock) {
        this.host = host;
        this.owned = owned;
        this.fullCheckInterval = fullCheckInterval;
        this.clock = clock;
    }

    /** Heals on {@code scheduler}: at each removal the netlink monitor reports (after the debounce), and periodically. */
    public void start(Scheduler scheduler) {
        start(scheduler, event -> { });
    }

    /**
     * As {@link #start(Scheduler)}, its monitor also handing every event to {@code alsoTo} after the healer has seen
     * it: one monitor thread (and socket) serves every listener of the daemon. {@code alsoTo} must not block.
     */
    public void start(Scheduler scheduler, Consumer<NetlinkMonitor.Event> alsoTo) {
        schedule(scheduler);
        monitor = NetlinkMonitor.start(event -> {
            onEvent(event);
            alsoTo.accept(event);
        });
    }

    /** The loop without the monitor: runs the periodic full check, and a pass after each {@link #onEvent} removal. */
    void schedule(Scheduler scheduler) {
        lastFullCheck = clock.instant();
        task = scheduler.loop("state-healer", fullCheckInterval, this::pass);
    }

    /** From the netlink monitor's thread: a removal (or lost events) asks for a pass once the burst is over. */
    void onEvent(NetlinkMonitor.Event event) {
        var removal = switch (event) {
            case NetlinkMonitor.Event.RuleChanged r when r.removed() -> report(r.rule());
            case NetlinkMonitor.Event.RouteChanged r when r.removed() -> report(r.route());
            case NetlinkMonitor.Event.AddressChanged a when a.removed() -> requestFull();
            case NetlinkMonitor.Event.Overflow o -> requestFull();
            default -> false;
        };
        if (removal) {
            removalReported.set(true);
            task.wakeAfter(DEBOUNCE);  // a flush removes many objects at once: repair them together
        }
    }

    private boolean report(Object removed) {
        if (reported.size() >= TARGETED_AT_MOST) {
            return requestFull();
        }
        reported.add(removed);
        return true;
    }

    private boolean requestFull() {
        fullRequested.set(true);
        return true;
    }

    private Next pass() {
        var now = clock.instant();
        var reportedRemoval = removalReported.getAndSet(false);
        var cause = reportedRemoval ? "a removal the netlink monitor reported" : "the periodic full check";
        var removed = drainReported();
        var full = fullRequested.getAndSet(false) || removed.isEmpty() || !now.isBefore(lastFullCheck.plus(fullCheckInterval));
        try {
            if (full) {
                lastFullCheck = now;
                healOnce(cause);
            } else {
                healReported(removed, cause);
            }
        } catch (RuntimeException e) {
            log.warn("repair failed: {}", e.getMessage());
        }
        var untilFullCheck = Duration.between(now, lastFullCheck.plus(fullCheckInterval));
        return Next.after(untilFullCheck.isNegative() ? Duration.ZERO : untilFullCheck);
    }

    private List<Object> drainReported() {
        var out = new ArrayList<>();
        for (var it = reported.iterator(); it.hasNext(); ) {
            out.add(it.next());
            it.remove();
        }
        return out;
    }

    /**
     * Puts back those of {@code removed} (rules and routes the monitor reported deleted) that are still owned, without
     * reading the kernel: a write of one that is back already fails with EEXIST, one whose link is gone with ENODEV,
     * and both are left alone, as a full pass would leave them.
     */
    Repair healReported(List<Object> removed, String cause) {
        var routes = 0;
        var rules = 0;
        var sorted = removed.stream().filter(o -> o instanceof Route).map(Route.class::cast)
                .sorted((x, y) -> Boolean.compare(x.gateway() != null, y.gateway() != null)).toList();
        for (var r : sorted) {
            if (restore(r, () -> host.addRoute(r))) {
                routes++;
            }
        }
        for (var o : removed) {
            if (o instanceof Rule rule && restore(rule, () -> host.addRule(rule))) {
                rules++;
            }
        }
        return record(new Repair(0, routes, rules), cause);
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
        return record(new Repair(addresses, routes, rules), cause);
    }

    private Repair record(Repair repair, String cause) {
        var addresses = repair.addresses();
        var routes = repair.routes();
        var rules = repair.rules();
        if (repair.total() > 0) {
            restoredAddresses.addAndGet(addresses);
            restoredRoutes.addAndGet(routes);
            restoredRules.addAndGet(rules);
            synchronized (recent) {
                if (recent.size() == RECENT_HEALS) {
                    recent.removeFirst();
                }
                recent.addLast(new Heal(Instant.now(), cause, repair));
            }
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

    /** The latest heals that restored something, oldest first. */
    public List<Heal> recentHeals() {
        synchronized (recent) {
            return List.copyOf(recent);
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
        if (monitor != null) {
            monitor.close();
        }
        var t = task;
        if (t != null) {
            t.cancel();
        }
    }
}
