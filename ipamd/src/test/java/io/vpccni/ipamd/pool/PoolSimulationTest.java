package io.vpccni.ipamd.pool;

import io.vpccni.ipamd.checkpoint.InMemoryCheckpointStore;
import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.policy.InstanceLimits;
import io.vpccni.ipamd.policy.PoolAction;
import io.vpccni.ipamd.policy.PoolConfig;
import io.vpccni.ipamd.policy.WarmPoolPolicy;
import io.vpccni.ipamd.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded random runs of the pool: ADD, repeated ADD, DEL, pool growth and shrink as the warm-pool policy
 * decides them (carried out here as the cloud executor would), failed checkpoint writes, time passing, and
 * daemon crashes with a restart from the checkpoint. After every step: no address is
 * held twice, every held address is on a CIDR the node holds, memory equals the checkpoint, a reused
 * address had cooled down, and the pool agrees with what the runtime was told. A failure names its seed;
 * replay one with -Dsim.seed=N.
 */
class PoolSimulationTest {
    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
    private static final Duration COOLDOWN = Duration.ofSeconds(30);

    @Test
    void randomRunsKeepEveryInvariant() {
        var only = System.getProperty("sim.seed");
        var seeds = only != null ? List.of(Long.parseLong(only)) : seeds(300);
        for (var seed : seeds) {
            try {
                new Run(seed).play(only != null ? 20_000 : 2_000);
            } catch (AssertionError | RuntimeException e) {
                fail("seed " + seed + " failed (replay with -Dsim.seed=" + seed + "): " + e.getMessage(), e);
            }
        }
    }

    private static List<Long> seeds(int n) {
        var out = new ArrayList<Long>();
        for (long s = 1; s <= n; s++) {
            out.add(s * 7919);
        }
        return out;
    }

    /** The world one run plays in: the cloud's ENIs and CIDRs outlive daemon crashes; memory does not. */
    private static final class Run {
        final Random random;
        final MutableClock clock = new MutableClock(T0);
        final boolean prefixMode;
        final InMemoryCheckpointStore store = new InMemoryCheckpointStore();
        final WarmPoolPolicy policy;
        Instant lastDecrease = Instant.EPOCH;
        final Map<String, EniInfo> cloudEnis = new LinkedHashMap<>();
        final Map<String, List<IpPrefix>> cloudCidrs = new HashMap<>();
        final Map<AttachmentKey, Inet4Address> running = new HashMap<>();   // what the runtime was told
        final Map<Inet4Address, Instant> releasedAt = new HashMap<>();
        int nextContainer;
        int nextDevice = 1;
        int nextCidr;
        Datastore datastore;
        PooledAllocator pool;

        Run(long seed) {
            random = new Random(seed);
            prefixMode = random.nextBoolean();
            // Small targets on a small instance, so the pool grows, shrinks and hits its limits often.
            var env = new HashMap<String, String>();
            env.put("ENABLE_PREFIX_DELEGATION", String.valueOf(prefixMode));
            if (prefixMode || random.nextBoolean()) {
                env.put("WARM_IP_TARGET", String.valueOf(1 + random.nextInt(4)));
                env.put("MINIMUM_IP_TARGET", String.valueOf(random.nextInt(6)));
            }
            policy = new WarmPoolPolicy(PoolConfig.fromEnv(env), new InstanceLimits("t3.medium", 3, 6));
            cloudEnis.put("eni-0", new EniInfo("eni-0", "02:00:00:00:00:00", 0, 0, true, false, false, "subnet", 254, T0));
            cloudCidrs.put("eni-0", new ArrayList<>());
            addCidr("eni-0");
            boot();
        }

        /** A (re)started daemon: ENIs rediscovered from the cloud, assignments from the checkpoint. */
        void boot() {
            datastore = new Datastore(clock, COOLDOWN, prefixMode);
            for (var eni : cloudEnis.values()) {
                datastore.addEni(eni);
                for (var cidr : cloudCidrs.get(eni.eniId())) {
                    datastore.addCidr(eni.eniId(), cidr, prefixMode);
                }
            }
            pool = new PooledAllocator(datastore, store);
            PooledAllocator.RestoreReport report;
            try {
                report = pool.restore(a -> running.containsKey(a.key()));
            } catch (PoolException e) {
                // The rewrite after restoring failed (an injected fault): the pool stays closed, and the
                // daemon's supervisor restarts it, which restores from the untouched file again.
                assertEquals(PoolException.Reason.NOT_READY, e.reason(), e.getMessage());
                boot();
                return;
            }
            assertEquals(running.size(), report.restored(), "restored " + report + " but the runtime holds " + running);
        }

        void play(int steps) {
            for (var step = 0; step < steps; step++) {
                var dice = random.nextInt(100);
                if (dice < 35) {
                    add(new AttachmentKey("aws-cni", "c" + nextContainer++, "eth0"));
                } else if (dice < 40 && !running.isEmpty()) {
                    var key = pick(running.keySet());
                    assertEquals(running.get(key), pool.assign(key, pod(key)).allocation().ipv4(), "repeated ADD of " + key);
                } else if (dice < 68) {
                    del(running.isEmpty() || random.nextInt(10) == 0 ? new AttachmentKey("aws-cni", "unknown", "eth0") : pick(running.keySet()));
                } else if (dice < 84) {
                    reconcile();
                } else if (dice < 92) {
                    clock.advance(Duration.ofSeconds(random.nextInt(40)));
                } else if (dice < 96) {
                    store.failNextSave();
                } else {
                    boot();  // crash: memory is lost; the runtime keeps its pods
                }
                check();
            }
        }

        void add(AttachmentKey key) {
            try {
                var a = pool.assign(key, pod(key)).allocation();
                var prev = releasedAt.get(a.ipv4());
                assertTrue(prev == null || !clock.instant().isBefore(prev.plus(COOLDOWN)),
                        a.ipv4Text() + " reused " + Duration.between(prev == null ? clock.instant() : prev, clock.instant()) + " after release");
                running.put(key, a.ipv4());
            } catch (PoolException e) {
                assertTrue(e.reason() == PoolException.Reason.EXHAUSTED || e.reason() == PoolException.Reason.NOT_DURABLE, e.getMessage());
            }
        }

        void del(AttachmentKey key) {
            try {
                var released = pool.release(key);
                assertEquals(running.containsKey(key), released.isPresent(), "DEL of " + key);
                released.ifPresent(a -> {
                    running.remove(key);
                    releasedAt.put(a.ipv4(), clock.instant());
                });
            } catch (PoolException e) {
                assertEquals(PoolException.Reason.NOT_DURABLE, e.reason(), e.getMessage());
            }
        }

        /** One reconcile: ask the policy, and carry out its action against the cloud and the datastore. */
        void reconcile() {
            var now = clock.instant();
            var action = policy.decide(PoolStates.of(datastore, 17, now, lastDecrease, false));
            switch (action) {
                case PoolAction.AllocateEni a -> {
                    var id = "eni-" + nextDevice;
                    var eni = new EniInfo(id, "02:00:00:00:00:0" + nextDevice, nextDevice, 0, false, false, false, "subnet",
                            nextDevice + 1, now);
                    nextDevice++;
                    cloudEnis.put(id, eni);
                    cloudCidrs.put(id, new ArrayList<>());
                    datastore.addEni(eni);
                    for (var i = 0; i < a.count(); i++) {
                        datastore.addCidr(id, addCidr(id), prefixMode);
                    }
                }
                case PoolAction.AssignToEni a -> {
                    for (var i = 0; i < a.count(); i++) {
                        datastore.addCidr(a.eniId(), addCidr(a.eniId()), prefixMode);
                    }
                }
                case PoolAction.ReleaseCidrs r -> {
                    for (var release : r.releases()) {
                        var releasable = datastore.releasableCidrs(release.eniId());
                        assertTrue(releasable.size() >= release.count(), "policy asked to release " + release + " of " + releasable);
                        for (var cidr : releasable.subList(0, release.count())) {
                            datastore.removeCidr(release.eniId(), cidr);
                            cloudCidrs.get(release.eniId()).remove(cidr);
                        }
                    }
                    lastDecrease = now;
                }
                case PoolAction.DeleteEni d -> {
                    datastore.removeEni(d.eniId());  // throws if the policy picked an ENI the datastore protects
                    cloudEnis.remove(d.eniId());
                    cloudCidrs.remove(d.eniId());
                }
                case PoolAction.Nothing n -> {
                }
            }
        }

        IpPrefix addCidr(String eni) {
            var n = nextCidr++;
            var cidr = prefixMode ? IpPrefix.of("10." + (n >> 8 & 255) + "." + (n & 255) + ".16/28")
                    : IpPrefix.of("10.1." + (n >> 8 & 255) + "." + (n & 255) + "/32");
            cloudCidrs.get(eni).add(cidr);
            return cidr;
        }

        void check() {
            var cidrBases = new HashSet<Integer>();
            for (var cidrs : cloudCidrs.values()) {
                for (var c : cidrs) {
                    cidrBases.add(CidrBlock.toInt(c.address().getAddress()));
                }
            }
            var held = new HashSet<Inet4Address>();
            var inMemory = new HashMap<AttachmentKey, Inet4Address>();
            for (var a : pool.allocations(null)) {
                assertTrue(held.add(a.ipv4()), a.ipv4Text() + " is held twice");
                var v = CidrBlock.toInt(a.ipv4().getAddress());
                assertTrue(cidrBases.contains(prefixMode ? v & ~15 : v), a.ipv4Text() + " is on no CIDR the node holds");
                inMemory.put(a.key(), a.ipv4());
            }
            assertEquals(running, inMemory, "the pool disagrees with what the runtime was told");
            var onDisk = new HashMap<AttachmentKey, Inet4Address>();
            for (var e : store.saved().orElseThrow().allocations()) {
                onDisk.put(new AttachmentKey(e.networkName(), e.containerId(), e.ifName()), IpPrefix.ipv4(e.ipv4()));
            }
            assertEquals(inMemory, onDisk, "memory and the checkpoint differ");
        }

        <T> T pick(Set<T> set) {
            var i = random.nextInt(set.size());
            for (var t : set) {
                if (i-- == 0) {
                    return t;
                }
            }
            throw new IllegalStateException();
        }

        static PodIdentity pod(AttachmentKey key) {
            return new PodIdentity("sim", key.containerId(), "", "");
        }
    }
}
