package io.vpccni.test.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vpccni.ipamd.cloud.EniTags;
import io.vpccni.ipamd.cloud.FakeEc2;
import io.vpccni.ipamd.eni.FakeSweepLease;
import io.vpccni.ipamd.eni.LeakedEniCollector;
import io.vpccni.ipamd.eni.SweepScope;
import io.vpccni.ipamd.k8s.SweepLease;
import io.vpccni.ipamd.schedule.FakeScheduler;
import io.vpccni.ipamd.testing.MutableClock;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * The cost and the reach of the hourly leaked-ENI sweep across a cluster: N nodes on one simulated EC2 account,
 * each running the real {@link LeakedEniCollector} on a fake scheduler and a manual clock (no real time passes),
 * through a day of seeded leaks and node replacements, under four ways of sweeping:
 * <ul>
 *   <li>{@code own}: every node sweeps its own ENIs (the collector before the cluster scope);</li>
 *   <li>{@code every}: every node sweeps the whole cluster each hour (upstream);</li>
 *   <li>{@code lease}: the sweep-lease holder sweeps the cluster, the others make no call (this change);</li>
 *   <li>{@code lease-down}: the same with the API server unreachable (each node falls back to its own).</li>
 * </ul>
 * The same leaks happen in every mode. Measured: DescribeNetworkInterfaces calls in the day, leaks deleted,
 * time from leak to deletion (to the minute), and what is still leaked 3 hours after the last leak.
 * Foreign ENIs (another cluster in the VPC, the cluster's name in another VPC) are checked to survive.
 *
 * <p>Run: {@code java -cp test/target/test-classes:$(cat test/target/test-classpath.txt)
 * io.vpccni.test.bench.LeakSweepBench [nodes,...] [seed]}. Not a test: nothing runs it in CI.
 */
public final class LeakSweepBench {
    static final Instant T0 = Instant.parse("2026-11-25T00:00:00Z");
    static final String CLUSTER = "prod";
    static final String VPC = "vpc-1";
    static final int LEAK_HOURS = 24;
    static final int DRAIN_HOURS = 3;
    /** A live node leaks an ENI (created, never attached: a crash, a lost answer) this often per hour. */
    static final double LEAK_PER_NODE_HOUR = 0.05;
    /** A node is terminated and replaced this often per hour (about one node in two each day)... */
    static final double REPLACE_PER_NODE_HOUR = 0.02;
    /** ...and leaves an ENI it had created but not attached (so DeleteOnTermination did not apply) this often. */
    static final double LEAK_AT_TERMINATION = 0.5;
    static final int FOREIGN_ENIS = 20;

    enum Mode { OWN, EVERY, LEASE, LEASE_DOWN }

    /** What happens to node slot {@code slot} at minute {@code minute}. */
    record Event(int minute, int slot, boolean replaced, boolean leaks) {
    }

    record Leak(String eniId, Instant at, String creator) {
    }

    /**
     * @param periodic             DescribeNetworkInterfaces calls of the hourly passes in the day
     * @param maxPeriodicInAnHour  the most of them in one clock hour
     * @param boots                nodes started in the day (initial and replacements): one start sweep each
     */
    record Result(long periodic, long maxPeriodicInAnHour, int boots, long claims, int leaked, int deleted, int left,
                  int leftByGoneNodes, List<Long> latenciesMin, int handovers, int foreignDeleted) {
    }

    private LeakSweepBench() {
    }

    public static void main(String[] args) {
        var sizes = args.length > 0 ? Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray() : new int[] {10, 50, 200};
        var seed = args.length > 1 ? Long.parseLong(args[1]) : 42L;
        System.out.printf(Locale.ROOT, "leak sweep: %d h of leaks (%.2f per node-hour, replacements %.2f per node-hour, "
                        + "%.0f %% of them leaving an ENI), then %d h without; seed %d%n", LEAK_HOURS, LEAK_PER_NODE_HOUR,
                REPLACE_PER_NODE_HOUR, LEAK_AT_TERMINATION * 100, DRAIN_HOURS, seed);
        System.out.println("| nodes | mode | periodic Describe calls / h | per node-hour | max in one hour | start sweeps "
                + "| lease claims / h | leaks | deleted | still leaked (by gone nodes) | leak→delete median / p90 / max | lease handovers |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (var n : sizes) {
            var plan = plan(n, new Random(seed));
            for (var mode : Mode.values()) {
                var r = run(n, mode, plan, seed);
                var lat = r.latenciesMin().stream().sorted().toList();
                var leased = mode == Mode.LEASE || mode == Mode.LEASE_DOWN;
                System.out.printf(Locale.ROOT, "| %d | %s | %.1f | %.3f | %d | %d | %s | %d | %d | %d (%d) | %s | %s |%n", n,
                        mode.name().toLowerCase(Locale.ROOT).replace('_', '-'), r.periodic() / (double) LEAK_HOURS,
                        r.periodic() / (double) LEAK_HOURS / n, r.maxPeriodicInAnHour(), r.boots(),
                        leased ? String.format(Locale.ROOT, "%.1f", r.claims() / (double) LEAK_HOURS) : "–",
                        r.leaked(), r.deleted(), r.left(), r.leftByGoneNodes(),
                        lat.isEmpty() ? "–" : pct(lat, 50) + " / " + pct(lat, 90) + " / " + lat.getLast() + " min",
                        mode == Mode.LEASE ? Integer.toString(r.handovers()) : "–");
                if (r.foreignDeleted() != 0) {
                    throw new IllegalStateException(mode + " deleted " + r.foreignDeleted() + " ENI(s) of another cluster or VPC");
                }
            }
        }
    }

    /** The day's leaks and replacements, the same for every mode. */
    static List<Event> plan(int nodes, Random random) {
        var events = new ArrayList<Event>();
        for (var minute = 0; minute < LEAK_HOURS * 60; minute++) {
            for (var slot = 0; slot < nodes; slot++) {
                if (random.nextDouble() < REPLACE_PER_NODE_HOUR / 60) {
                    events.add(new Event(minute, slot, true, random.nextDouble() < LEAK_AT_TERMINATION));
                } else if (random.nextDouble() < LEAK_PER_NODE_HOUR / 60) {
                    events.add(new Event(minute, slot, false, true));
                }
            }
        }
        return events;
    }

    static Result run(int nodes, Mode mode, List<Event> plan, long seed) {
        var clock = new MutableClock(T0);
        var scheduler = new FakeScheduler(clock);
        var ec2 = new FakeEc2("i-bench", 3);
        var lease = new FakeSweepLease(clock);
        lease.apiServerDown(mode == Mode.LEASE_DOWN);
        var metrics = new SimpleMeterRegistry();
        var jitter = new Random(seed + 1);
        var foreign = foreignEnis(ec2);

        var slots = new Node[nodes];
        var nextId = new int[] {0};
        var gone = new HashSet<String>();
        for (var slot = 0; slot < nodes; slot++) {
            slots[slot] = Node.boot(String.format(Locale.ROOT, "i-%06d", nextId[0]++), mode, ec2, lease, metrics, scheduler, jitter);
        }

        var pending = new HashMap<String, Leak>();
        var latencies = new ArrayList<Long>();
        var leaked = 0;
        var hourly = new ArrayList<Long>();
        var lastCount = 0L;
        var handovers = 0;
        var boots = nodes;
        var bootsThisHour = nodes;
        var periodic = 0L;
        Optional<String> holder = Optional.empty();
        var events = plan.iterator();
        Event next = events.hasNext() ? events.next() : null;
        for (var minute = 0; minute < (LEAK_HOURS + DRAIN_HOURS) * 60; minute++) {
            while (next != null && next.minute() == minute) {
                var node = slots[next.slot()];
                if (next.leaks()) {
                    var id = ec2.addAvailable(EniTags.description(node.instanceId()),
                            EniTags.forNewEni(node.instanceId(), clock.instant(), Optional.of(CLUSTER), Map.of()), VPC);
                    pending.put(id, new Leak(id, clock.instant(), node.instanceId()));
                    leaked++;
                }
                if (next.replaced()) {
                    node.collector().close();
                    gone.add(node.instanceId());
                    boots++;
                    bootsThisHour++;
                    slots[next.slot()] = Node.boot(String.format(Locale.ROOT, "i-%06d", nextId[0]++), mode, ec2, lease,
                            metrics, scheduler, jitter);
                }
                next = events.hasNext() ? events.next() : null;
            }
            scheduler.advance(Duration.ofMinutes(1));
            for (var it = pending.values().iterator(); it.hasNext(); ) {
                var leak = it.next();
                if (!ec2.exists(leak.eniId())) {
                    latencies.add(Duration.between(leak.at(), clock.instant()).toMinutes());
                    it.remove();
                }
            }
            var now = lease.holder();
            if (now.isPresent() && holder.isPresent() && !now.equals(holder)) {
                handovers++;
            }
            if (now.isPresent()) {
                holder = now;
            }
            if ((minute + 1) % 60 == 0 && minute < LEAK_HOURS * 60) {
                var count = ec2.callsOf("DescribeNetworkInterfaces");
                hourly.add(count - lastCount - bootsThisHour);
                periodic += count - lastCount - bootsThisHour;
                lastCount = count;
                bootsThisHour = 0;
            }
        }
        var leftByGone = (int) pending.values().stream().filter(l -> gone.contains(l.creator())).count();
        var foreignDeleted = (int) foreign.stream().filter(id -> !ec2.exists(id)).count();
        return new Result(periodic, hourly.stream().mapToLong(Long::longValue).max().orElse(0), boots, lease.claims(), leaked,
                latencies.size(), pending.size(), leftByGone, latencies, handovers, foreignDeleted);
    }

    /** Old leaked ENIs that are not the cluster's to delete: another cluster's in the same VPC, and the cluster's name in another VPC. */
    static Set<String> foreignEnis(FakeEc2 ec2) {
        var ids = new HashSet<String>();
        var old = T0.minus(Duration.ofDays(2));
        for (var i = 0; i < FOREIGN_ENIS; i++) {
            var instance = String.format(Locale.ROOT, "i-foreign%03d", i);
            ids.add(ec2.addAvailable(EniTags.description(instance), EniTags.forNewEni(instance, old, Optional.of("staging"), Map.of()), VPC));
            ids.add(ec2.addAvailable(EniTags.description(instance), EniTags.forNewEni(instance, old, Optional.of(CLUSTER), Map.of()), "vpc-2"));
        }
        return ids;
    }

    static long pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    /** One node of the cluster: its collector, booted as the daemon does (the start sweep, then the hourly loop). */
    record Node(String instanceId, LeakedEniCollector collector) {
        static Node boot(String instanceId, Mode mode, FakeEc2 ec2, FakeSweepLease lease, SimpleMeterRegistry metrics,
                         FakeScheduler scheduler, Random jitter) {
            SweepLease sweepLease = switch (mode) {
                case OWN -> SweepLease.NONE;
                case EVERY -> term -> true;  // everyone "holds" it: every node sweeps the cluster, as upstream does
                case LEASE, LEASE_DOWN -> lease.forNode(instanceId);
            };
            var collector = new LeakedEniCollector(ec2, new SweepScope(instanceId, VPC, Optional.of(CLUSTER)), sweepLease,
                    metrics, scheduler.clock());
            collector.sweepAtStart();
            collector.start(scheduler, jitter);
            return new Node(instanceId, collector);
        }
    }
}
