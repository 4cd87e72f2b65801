package io.vpccni.ipamd.lifecycle;

import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.net.NetNs;
import io.vpccni.ipamd.net.Netlink;
import io.vpccni.ipamd.net.Route;
import io.vpccni.ipamd.net.RtNetlink;
import io.vpccni.ipamd.net.Rule;
import io.vpccni.ipamd.pod.Caller;
import io.vpccni.ipamd.pod.CallerGoneException;
import io.vpccni.ipamd.pod.LinkReaper;
import io.vpccni.ipamd.pod.NetworkSettings;
import io.vpccni.ipamd.pod.PodInterfaces;
import io.vpccni.ipamd.pod.PodNetworkRequest;
import io.vpccni.ipamd.pod.PrevResult;
import io.vpccni.ipamd.pod.VethNames;
import io.vpccni.ipamd.pool.Allocation;
import io.vpccni.ipamd.pool.AttachmentKey;
import io.vpccni.ipamd.pool.PodIdentity;
import io.vpccni.ipamd.pool.PoolException;
import io.vpccni.ipamd.testing.Callers;
import io.vpccni.ipamd.testing.Ip;
import io.vpccni.ipamd.testing.KernelState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pod lifecycle a cluster puts a node through, as seeded random sequences against the real kernel, each
 * step checked against a model: ADDs, DELs in every shape a runtime sends them (with and without prevResult,
 * with an empty netns, repeated, late after the sandbox was recreated), GC of our network and of another,
 * concurrent ADD and DEL of one attachment, callers that give up mid-ADD, clean and killed restarts,
 * networkd-style flushes, and the pool growing (addresses, a new ENI with its own table) and shrinking
 * (addresses given back, an empty ENI deleted). After every step: no address is held twice, no address of the
 * node's ENIs is lost and each held one routes through its ENI's table, the pool holds exactly the model's
 * attachments, every live pod passes CHECK, the host has exactly the live pods' veths, routes and rules
 * (in the right tables), and a heal pass finds nothing to do. {@code -Dlifecycle.seed=N} replays one seed;
 * {@code -Dlifecycle.seeds} and {@code -Dlifecycle.steps} size the run.
 */
@EnabledIfSystemProperty(named = "vpccni.netns", matches = "private", disabledReason = "needs root and test/bin/java-in-netns")
class PodLifecycleModelIT {
    private static final String NETWORK = "aws-cni";
    private static final int POD_NAMES = 5;

    /** On tmpfs where there is one: the test is about the lifecycle, not the disk's fsync latency. */
    @TempDir(factory = TmpfsDirs.class)
    Path dir;

    private Netlink host;
    private NetNs hostNs;
    private final List<LinkReaper> killedReapers = new ArrayList<>();
    private final Set<String> namespaces = new HashSet<>();

    /** One sandbox: its attachment, its pod, its netns, and what ADD gave it. */
    private record Sandbox(AttachmentKey key, String pod, String netns, Allocation allocation, PodInterfaces interfaces) {
    }

    // The model: sandboxes whose ADD succeeded and whose DEL has not (the old sandbox of a recreated pod stays
    // here until its DEL comes), the newest sandbox of each pod, and sandboxes already deleted (for late DELs).
    private final Map<AttachmentKey, Sandbox> attached = new LinkedHashMap<>();
    private final Map<String, AttachmentKey> newest = new HashMap<>();
    private final List<Sandbox> deleted = new ArrayList<>();
    private final AtomicInteger sandboxes = new AtomicInteger();
    /** The ENIs and addresses EC2 has given the node (what a restarted daemon discovers). */
    private Map<String, NodeUnderTest.Eni> enis;
    private NodeUnderTest node;
    private Path checkpoint;

    @BeforeEach
    void open() {
        host = RtNetlink.open();
        hostNs = NetNs.current();
    }

    @AfterEach
    void close() {
        if (node != null) {
            node.close();
        }
        killedReapers.forEach(LinkReaper::close);
        namespaces.forEach(ns -> Ip.quietly("netns", "del", ns));
        host.close();
        hostNs.close();
    }

    @Test
    void everySequenceKeepsTheKernelThePoolAndTheModelInStep() throws Exception {
        var only = Long.getLong("lifecycle.seed");
        var seeds = only != null ? List.of(only) : java.util.stream.LongStream.range(0, Integer.getInteger("lifecycle.seeds", 200)).boxed().toList();
        var steps = Integer.getInteger("lifecycle.steps", 20);
        var counts = new java.util.TreeMap<String, Integer>();
        var started = System.nanoTime();
        for (var seed : seeds) {
            run(seed, steps, counts);
        }
        System.out.printf("lifecycle model: %s x %d steps in %.1f s; steps by kind %s%n",
                only != null ? "seed " + only : seeds.size() + " seeds", steps, (System.nanoTime() - started) / 1e9, counts);
    }

    private void run(long seed, int steps, Map<String, Integer> counts) throws Exception {
        var before = KernelState.capture();
        var random = new Random(seed);
        checkpoint = dir.resolve("ipam-" + seed + ".json");
        enis = NodeUnderTest.initialEnis();
        node = new NodeUnderTest(checkpoint, host, hostNs, enis.values());
        for (var step = 0; step < steps; step++) {
            var kind = pick(random);
            counts.merge(kind, 1, Integer::sum);
            var where = "seed " + seed + " step " + step + " (" + kind + "); replay with -Dlifecycle.seed=" + seed;
            try {
                assertTimeoutPreemptively(Duration.ofSeconds(60), () -> perform(kind, random), "no call may block: " + where);
                checkInvariants();
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(where + ": " + e.getMessage(), e);
            }
        }
        for (var s : List.copyOf(attached.values())) {  // the runtime deletes what is left
            del(s, random);
        }
        checkInvariants();
        node.close();
        node = null;
        assertEquals(before, settled(), "seed " + seed + ": nothing is left on the host");
        attached.clear();
        newest.clear();
        deleted.clear();
    }

    private String pick(Random random) {
        var roll = random.nextInt(100);
        if (roll < 30 || attached.isEmpty()) {
            return "add";
        }
        return roll < 45 ? "del" : roll < 52 ? "late-del" : roll < 57 ? "gc-ours" : roll < 62 ? "gc-other"
                : roll < 72 ? "add-and-del-at-once" : roll < 80 ? "caller-gone-mid-add" : roll < 86 ? "restart"
                : roll < 90 ? "killed-restart" : roll < 94 ? "flush" : roll < 97 ? "grow" : "shrink";
    }

    private void perform(String kind, Random random) throws Exception {
        switch (kind) {
            case "add" -> add(newSandbox(random), Caller.PATIENT);
            case "del" -> del(any(random), random);
            case "late-del" -> lateDel(random);
            case "gc-ours" -> gcOurs(random);
            case "gc-other" -> assertEquals(0, node.pods.collectGarbage("another-network", Set.of()).released());
            case "add-and-del-at-once" -> addAndDelAtOnce(random);
            case "caller-gone-mid-add" -> callerGoneMidAdd(random);
            case "restart" -> restart(false);
            case "killed-restart" -> restart(true);
            case "flush" -> flush();
            case "grow" -> grow(random);
            case "shrink" -> shrink(random);
            default -> throw new AssertionError(kind);
        }
    }

    // ---- steps

    private record NewSandbox(AttachmentKey key, String pod, String netns) {
    }

    private NewSandbox newSandbox(Random random) {
        var n = sandboxes.incrementAndGet();
        var netns = "lc" + n;
        Ip.run("netns", "add", netns);
        namespaces.add(netns);
        return new NewSandbox(new AttachmentKey(NETWORK, "c" + n, "eth0"), "pod" + random.nextInt(POD_NAMES), netns);
    }

    private static PodNetworkRequest request(AttachmentKey key, String pod, String netns, PrevResult prev) {
        return new PodNetworkRequest(key, new PodIdentity("default", pod, "uid-" + pod, key.containerId()),
                netns.isEmpty() ? "" : "/run/netns/" + netns, new NetworkSettings(0, NodeUnderTest.PREFIX, ""), prev);
    }

    /** @return whether the ADD succeeded (a full pool answers "try later", which changes nothing) */
    private boolean add(NewSandbox s, Caller caller) {
        try {
            var attachedNow = node.pods.add(request(s.key(), s.pod(), s.netns(), null), caller);
            recordAdded(s, attachedNow.allocation(), attachedNow.interfaces());
            return true;
        } catch (PoolException e) {
            assertEquals(PoolException.Reason.EXHAUSTED, e.reason());
            dropNetns(s.netns());
            return false;
        }
    }

    private void recordAdded(NewSandbox s, Allocation allocation, PodInterfaces interfaces) {
        attached.put(s.key(), new Sandbox(s.key(), s.pod(), s.netns(), allocation, interfaces));
        newest.put(s.pod(), s.key());
    }

    private Sandbox any(Random random) {
        var all = List.copyOf(attached.values());
        return all.get(random.nextInt(all.size()));
    }

    /** A DEL as runtimes send it: with prevResult, without, or after the netns is already gone (netns ""). */
    private void del(Sandbox s, Random random) {
        var shape = random.nextInt(3);
        if (shape == 2) {
            dropNetns(s.netns());
        }
        node.pods.del(request(s.key(), s.pod(), shape == 2 ? "" : s.netns(), shape == 0 ? prevResult(s) : null), Caller.PATIENT);
        forget(s);
    }

    private static PrevResult prevResult(Sandbox s) {
        return new PrevResult(s.interfaces(), List.of(s.allocation().ipv4Text() + "/32"), "169.254.1.1");
    }

    private void forget(Sandbox s) {
        attached.remove(s.key());
        newest.remove(s.pod(), s.key());
        deleted.add(s);
        dropNetns(s.netns());
    }

    /** A DEL repeated long after: its prevResult names an address and a veth that may be another pod's now. */
    private void lateDel(Random random) {
        if (deleted.isEmpty()) {
            return;
        }
        var s = deleted.get(random.nextInt(deleted.size()));
        var prev = random.nextBoolean() ? prevResult(s) : null;
        node.pods.del(request(s.key(), s.pod(), "", prev), Caller.PATIENT);
    }

    /** The runtime's GC lists every attachment it knows but one it forgot. */
    private void gcOurs(Random random) {
        var forgotten = any(random);
        var valid = new HashSet<>(attached.keySet());
        valid.remove(forgotten.key());
        var outcome = node.pods.collectGarbage(NETWORK, valid);
        assertEquals(List.of(), outcome.errors());
        assertEquals(1, outcome.released());
        forget(forgotten);
    }

    /** A runtime that times out an ADD and DELs it at once: they must not interleave. */
    private void addAndDelAtOnce(Random random) throws Exception {
        var s = newSandbox(random);
        try (var threads = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().factory())) {
            var add = threads.submit(() -> {
                try {
                    return node.pods.add(request(s.key(), s.pod(), s.netns(), null), Caller.PATIENT);
                } catch (PoolException e) {
                    return null;
                }
            });
            var del = threads.submit(() -> node.pods.del(request(s.key(), s.pod(), s.netns(), null), Caller.PATIENT));
            var added = add.get();
            del.get();
            if (added != null) {
                newest.remove(s.pod());  // its wiring replaced the veth of the pod's older sandbox, if any
            }
            var held = node.pool.find(s.key());
            if (held.isPresent()) {  // the DEL ran first and found nothing; the ADD stands
                recordAdded(s, held.get(), added.interfaces());
            } else {
                dropNetns(s.netns());
            }
        }
    }

    /**
     * The caller gives up at its n-th look: as the call starts, before the wiring, or after it (when the older
     * sandbox of the pod, if any, has lost its veth to this one). Nothing of the ADD stays.
     */
    private void callerGoneMidAdd(Random random) {
        var s = newSandbox(random);
        var patience = 1 + random.nextInt(3);
        var caller = Callers.goneAtLook(patience);
        try {
            if (add(s, caller)) {
                throw new AssertionError("an ADD whose caller left succeeded");
            }
        } catch (CallerGoneException expected) {
            if (patience == 3) {
                newest.remove(s.pod());  // it gave up after wiring, which replaced the older sandbox's veth
            }
            dropNetns(s.netns());
        }
    }

    /**
     * A new daemon on the same checkpoint. Killed: the old one's background veth deletions are cut short. Either
     * way a sandbox whose veth a newer sandbox of its pod took over has no network left; it is dropped, and its
     * late DEL must then touch nothing.
     */
    private void restart(boolean killed) {
        if (killed) {
            killedReapers.add(node.reaper);
        } else {
            node.close();
        }
        node = new NodeUnderTest(checkpoint, host, hostNs, enis.values());
        for (var s : List.copyOf(attached.values())) {
            if (!s.key().equals(newest.get(s.pod()))) {
                attached.remove(s.key());
                deleted.add(s);
            }
        }
    }

    /** What a systemd-networkd restart does: every foreign rule gone, then a heal pass. */
    private void flush() {
        for (var r : host.rules()) {
            if (r.priority() == 512 || r.priority() == 1536) {
                host.deleteRule(r);
            }
        }
        node.healer.healOnce("the test's flush");
    }

    /** EC2 gives the node one more address, on a secondary ENI or on a new ENI with a table of its own. */
    private void grow(Random random) {
        var device = 1 + random.nextInt(3);
        var id = "eni-" + device;
        var eni = enis.get(id);
        if (eni == null) {
            eni = new NodeUnderTest.Eni(id, device, device + 1, List.of());
            enis.put(id, eni);
            node.datastore.addEni(new io.vpccni.ipamd.pool.EniInfo(id, "02:00:00:00:00:0" + device, device, 0, false, false, false,
                    "subnet-1", device + 1, java.time.Instant.EPOCH));
        }
        var address = IpPrefix.of("10.20." + device + "." + (10 + eni.addresses().size()) + "/32");
        if (!eni.addresses().contains(address)) {
            eni.addresses().add(address);
            node.datastore.addCidr(id, address, false);
        }
    }

    /** The pool gives a free address back to EC2, and an ENI left with none is deleted: never a pod's. */
    private void shrink(Random random) {
        var secondaries = enis.values().stream().filter(e -> e.device() > 0).toList();
        if (secondaries.isEmpty()) {
            return;
        }
        var eni = secondaries.get(random.nextInt(secondaries.size()));
        var taken = node.datastore.takeReleasable(eni.id(), 1, false);
        for (var cidr : taken) {
            assertTrue(attached.values().stream().noneMatch(s -> IpPrefix.host(s.allocation().ipv4()).equals(cidr)),
                    cidr + " was taken from the pool while a pod holds it");
            eni.addresses().remove(cidr);
        }
        if (eni.addresses().isEmpty() && node.datastore.deletable(eni.id())) {
            node.datastore.removeEni(eni.id());
            enis.remove(eni.id());
        }
    }

    private void dropNetns(String netns) {
        if (namespaces.remove(netns)) {
            Ip.quietly("netns", "del", netns);
        }
    }

    // ---- invariants

    private void awaitReapers() throws InterruptedException {
        for (var r : killedReapers) {
            r.awaitIdle();
        }
        if (node != null) {
            node.reaper.awaitIdle();
        }
    }

    private KernelState settled() throws InterruptedException {
        awaitReapers();
        return KernelState.capture();
    }

    private void checkInvariants() throws InterruptedException {
        awaitReapers();
        var held = node.pool.allocations(null);
        var ips = new HashSet<String>();
        for (var a : held) {
            assertTrue(ips.add(a.ipv4Text()), "address " + a.ipv4Text() + " is held twice: " + held);
        }
        var modelKeys = new TreeSet<String>();
        attached.keySet().forEach(k -> modelKeys.add(k.toString()));
        var poolKeys = new TreeSet<String>();
        held.forEach(a -> poolKeys.add(a.key() + " " + a.ipv4Text()));
        var expectedPool = new TreeSet<String>();
        attached.values().forEach(s -> expectedPool.add(s.key() + " " + s.allocation().ipv4Text()));
        assertEquals(expectedPool, poolKeys, "the pool holds exactly the model's attachments");
        for (var s : attached.values()) {
            var ip = IpPrefix.host(s.allocation().ipv4());
            var eni = enis.values().stream().filter(e -> e.addresses().contains(ip)).findFirst()
                    .orElseThrow(() -> new AssertionError(ip + " is held by " + s.key() + " but on none of the node's ENIs"));
            assertEquals(eni.table(), s.allocation().routeTableId(), ip + " routes through its ENI's table");
        }
        var addresses = enis.values().stream().mapToInt(e -> e.addresses().size()).sum();
        assertEquals(addresses, node.datastore.usage().stream().mapToInt(u -> u.totalIps()).sum(),
                "every address EC2 gave the node is in the pool, none lost");

        var live = newest.values().stream().map(attached::get).toList();
        for (var s : live) {
            var drifts = node.pods.check(request(s.key(), s.pod(), s.netns(), prevResult(s)), Caller.PATIENT);
            assertEquals(List.of(), drifts, "CHECK of " + s.key() + " (" + s.pod() + ")");
        }

        var expectedRules = new TreeSet<String>();
        for (var s : attached.values()) {
            var ip = IpPrefix.host(s.allocation().ipv4());
            expectedRules.add(Rule.to(512, ip, Route.MAIN).toString());
            if (s.allocation().routeTableId() != Route.MAIN) {
                expectedRules.add(Rule.from(1536, ip, s.allocation().routeTableId()).toString());
            }
        }
        var podRules = host.rules().stream().filter(r -> r.priority() == 512 || r.priority() == 1536).map(Rule::toString).toList();
        assertEquals(podRules.size(), new HashSet<>(podRules).size(), "no rule twice: " + podRules);
        assertEquals(expectedRules, new TreeSet<>(podRules), "the pod rules are exactly the attached pods'");

        var expectedVeths = new TreeSet<String>();
        live.forEach(s -> expectedVeths.add(VethNames.hostVeth(NodeUnderTest.PREFIX, "default", s.pod())));
        var veths = new TreeSet<String>();
        var vethIndexes = new HashMap<Integer, String>();
        host.links().stream().filter(l -> "veth".equals(l.kind()) && l.name().startsWith(NodeUnderTest.PREFIX)).forEach(l -> {
            veths.add(l.name());
            vethIndexes.put(l.index(), l.name());
        });
        assertEquals(expectedVeths, veths, "one host veth for each live pod, none left of released ones");

        var expectedRoutes = new TreeSet<String>();
        live.forEach(s -> expectedRoutes.add(s.allocation().ipv4Text() + "/32 dev " + VethNames.hostVeth(NodeUnderTest.PREFIX, "default", s.pod())));
        var routes = new TreeSet<String>();
        host.routes(Route.MAIN).stream().filter(r -> vethIndexes.containsKey(r.oif()))
                .forEach(r -> routes.add(r.dst() + " dev " + vethIndexes.get(r.oif())));
        assertEquals(expectedRoutes, routes, "the host routes are exactly the live pods'");

        assertEquals(0, node.healer.healOnce("the invariant check").total(), "a heal pass finds nothing missing");
        assertTrue(Files.exists(checkpoint), "the checkpoint exists");
    }
}
