package io.vpccni.ipamd.pod;

import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.net.NetNs;
import io.vpccni.ipamd.net.Netlink;
import io.vpccni.ipamd.net.RtNetlink;
import io.vpccni.ipamd.owned.OwnershipRegistry;
import io.vpccni.ipamd.pool.Allocation;
import io.vpccni.ipamd.pool.AttachmentKey;
import io.vpccni.ipamd.pool.PodIdentity;
import io.vpccni.ipamd.testing.FaultyNetlink;
import io.vpccni.ipamd.testing.Ip;
import io.vpccni.ipamd.testing.KernelState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pod wiring against the real kernel, in the test's private namespace standing in for the node. */
@EnabledIfSystemProperty(named = "vpccni.netns", matches = "private", disabledReason = "needs root and test/bin/java-in-netns")
class KernelPodWiringIT {
    private static final String HOST_IP = "10.250.0.1";

    private Netlink host;
    private NetNs hostNs;
    private LinkReaper reaper;
    private KernelPodWiring wiring;
    private OwnershipRegistry owned;
    private final List<String> namespaces = new ArrayList<>();

    @BeforeAll
    static void node() throws IOException {
        Files.writeString(Path.of("/proc/sys/net/ipv4/ip_forward"), "1");  // this namespace's, not the host's
        Ip.quietly("addr", "add", HOST_IP + "/32", "dev", "lo");
    }

    @BeforeEach
    void setUp() {
        host = RtNetlink.open();
        hostNs = NetNs.current();
        reaper = new LinkReaper(RtNetlink.open());
        owned = new OwnershipRegistry();
        wiring = new KernelPodWiring(host, hostNs, RtNetlink::openIn, reaper, "eni", owned);
    }

    /** The kernel state once the background veth deletions have finished. */
    private KernelState settled() throws InterruptedException {
        reaper.awaitIdle();
        return KernelState.capture();
    }

    @AfterEach
    void tearDown() {
        reaper.close();
        for (var ns : namespaces) {
            Ip.quietly("netns", "del", ns);
        }
        // A failed test must not leak into the next one's before/after comparison.
        for (var line : Ip.run("-o", "link", "show").lines().toList()) {
            var name = line.split(": ")[1].split("@")[0];
            if (name.startsWith("eni")) {
                Ip.quietly("link", "del", name);
            }
        }
        for (var priority : new String[]{"512", "1536"}) {
            while (Ip.run("rule", "show").contains(priority + ":")) {
                Ip.run("rule", "del", "priority", priority);
            }
        }
        host.close();
        hostNs.close();
    }

    private String netns(String name) {
        Ip.run("netns", "add", name);
        namespaces.add(name);
        return "/run/netns/" + name;
    }

    private static PodNetworkRequest request(String pod, String netns) {
        return new PodNetworkRequest(new AttachmentKey("aws-cni", "cid-" + pod, "eth0"),
                new PodIdentity("default", pod, "uid-" + pod, "cid-" + pod), netns, NetworkSettings.defaults(), null);
    }

    private static Allocation allocation(PodNetworkRequest r, String ip, int table) {
        return new Allocation(r.key(), r.pod(), IpPrefix.ipv4(ip), table == 254 ? 0 : table - 1, table);
    }

    @Test
    void wiresThePodExactlyAsUpstreamDoes() {
        var r = request("web", netns("pod-web"));
        var interfaces = wiring.setUp(r, allocation(r, "10.0.1.5", 2));
        var veth = VethNames.hostVeth("eni", "default", "web");
        assertEquals(veth, interfaces.hostVethName());
        assertEquals(14, veth.length());
        assertEquals(2, Integer.parseInt(interfaces.hostVethMac().substring(0, 2), 16) & 0x03, "locally administered unicast");

        var podAddr = Ip.in("pod-web", "-4", "addr", "show", "dev", "eth0");
        assertTrue(podAddr.contains("inet 10.0.1.5/32"), podAddr);
        var podRoutes = Ip.in("pod-web", "route", "show");
        assertTrue(podRoutes.contains("default via 169.254.1.1 dev eth0"), podRoutes);
        assertTrue(podRoutes.contains("169.254.1.1 dev eth0"), podRoutes);
        var podNeigh = Ip.in("pod-web", "neigh", "show");
        assertTrue(podNeigh.contains("169.254.1.1 dev eth0 lladdr " + interfaces.hostVethMac() + " PERMANENT"), podNeigh);
        var hostRoutes = Ip.run("route", "show");
        assertTrue(hostRoutes.contains("10.0.1.5 dev " + veth + " scope link"), hostRoutes);
        var rules = Ip.run("rule", "show");
        assertTrue(rules.contains("512:\tfrom all to 10.0.1.5 lookup main"), rules);
        assertTrue(rules.contains("1536:\tfrom 10.0.1.5 lookup 2"), rules);
        assertEquals(List.of(), wiring.check(r, allocation(r, "10.0.1.5", 2)));
        var restarted = new KernelPodWiring(host, hostNs, RtNetlink::openIn, reaper, "eni", new OwnershipRegistry());
        assertTrue(restarted.adopt(allocation(r, "10.0.1.5", 2)), "a restarted daemon keeps this pod's checkpointed address");
        var other = request("never-wired", "/run/netns/none");
        assertTrue(!restarted.adopt(allocation(other, "10.0.1.6", 2)));
    }

    @Test
    void theRulesOfWiredPodsAreTheOnesTheHealerKeeps() {
        var r = request("kept", netns("pod-kept"));
        var a = allocation(r, "10.0.11.5", 3);
        wiring.setUp(r, a);
        assertEquals(List.of(io.vpccni.ipamd.net.Rule.to(512, IpPrefix.of("10.0.11.5/32"), 254),
                io.vpccni.ipamd.net.Rule.from(1536, IpPrefix.of("10.0.11.5/32"), 3)), owned.snapshot().rules());
        wiring.tearDown(r, a);
        assertEquals(List.of(), owned.snapshot().rules(), "a DEL takes them away before deleting them, so they are not put back");
    }

    @Test
    void primaryEniAddressesGetNoRule1536() {
        var r = request("main", netns("pod-main"));
        wiring.setUp(r, allocation(r, "10.0.0.20", 254));
        var rules = Ip.run("rule", "show");
        assertTrue(rules.contains("512:\tfrom all to 10.0.0.20 lookup main"), rules);
        assertTrue(!rules.contains("1536"), rules);
        wiring.tearDown(r, allocation(r, "10.0.0.20", 254));
    }

    @Test
    void trafficFlowsPodToHostAndPodToPod() throws Exception {
        var a = request("a", netns("pod-a"));
        var b = request("b", netns("pod-b"));
        wiring.setUp(a, allocation(a, "10.0.1.5", 2));
        wiring.setUp(b, allocation(b, "10.0.1.6", 2));
        try (var nsA = NetNs.open(Path.of(a.netns())); var nsB = NetNs.open(Path.of(b.netns()))) {
            assertEquals("pong from host", exchange(nsA, null, HOST_IP));
            assertEquals("pong from 10.0.1.6", exchange(nsA, nsB, "10.0.1.6"));
            assertEquals("pong from 10.0.1.5", exchange(nsB, nsA, "10.0.1.5"));
        }
    }

    /** Sends a UDP ping from inside {@code from} to {@code target}, answered by an echo inside {@code to} (null: the host). */
    private static String exchange(NetNs from, NetNs to, String target) throws Exception {
        var echo = to == null ? DatagramChannel.open() : to.run(DatagramChannel::open);
        try (echo) {
            echo.bind(new InetSocketAddress(target, 0));
            var port = ((InetSocketAddress) echo.getLocalAddress()).getPort();
            var server = Executors.newSingleThreadExecutor().submit(() -> {
                var buf = ByteBuffer.allocate(64);
                var sender = echo.receive(buf);
                echo.send(ByteBuffer.wrap(("pong from " + (to == null ? "host" : target)).getBytes(StandardCharsets.UTF_8)), sender);
                return null;
            });
            var reply = from.run(() -> {
                try (var client = DatagramChannel.open()) {
                    client.socket().setSoTimeout(3000);
                    client.send(ByteBuffer.wrap("ping".getBytes(StandardCharsets.UTF_8)), new InetSocketAddress(target, port));
                    var buf = ByteBuffer.allocate(64);
                    var in = client.socket().getChannel();
                    client.configureBlocking(true);
                    var received = new java.net.DatagramPacket(new byte[64], 64);
                    client.socket().receive(received);
                    return new String(received.getData(), 0, received.getLength(), StandardCharsets.UTF_8);
                }
            });
            server.get();
            return reply;
        }
    }

    @Test
    void addIsIdempotentAndDelRemovesEverything() throws InterruptedException {
        var before = KernelState.capture();
        var r = request("idem", netns("pod-idem"));
        var first = wiring.setUp(r, allocation(r, "10.0.2.7", 3));
        var second = wiring.setUp(r, allocation(r, "10.0.2.7", 3));
        assertEquals(first, second);
        wiring.tearDown(r, allocation(r, "10.0.2.7", 3));
        wiring.tearDown(r, allocation(r, "10.0.2.7", 3));  // a second DEL finds nothing and succeeds
        assertEquals(before, settled());
    }

    @Test
    void hundredAddDelCyclesLeaveNothingBehind() throws InterruptedException {
        var before = KernelState.capture();
        var r = request("cycle", netns("pod-cycle"));
        for (var i = 0; i < 100; i++) {
            var a = allocation(r, "10.0.3." + (i + 1), 2 + i % 3);
            wiring.setUp(r, a);
            wiring.tearDown(r, a);
        }
        assertEquals(before, settled());
    }

    @Test
    void fiftyConcurrentAddsGetDistinctVethsAndDelsCleanUp() throws Exception {
        var before = KernelState.capture();
        var pool = Executors.newFixedThreadPool(8);
        var requests = new ArrayList<PodNetworkRequest>();
        for (var i = 0; i < 50; i++) {
            requests.add(request("p" + i, netns("pod-p" + i)));
        }
        var futures = new ArrayList<Future<PodInterfaces>>();
        for (var i = 0; i < 50; i++) {
            var r = requests.get(i);
            var a = allocation(r, "10.0.4." + (i + 1), 2);
            futures.add(pool.submit(() -> wiring.setUp(r, a)));
        }
        var names = new HashSet<String>();
        for (var f : futures) {
            names.add(f.get().hostVethName());
        }
        assertEquals(50, names.size());
        var links = Ip.run("-o", "link", "show");
        for (var n : names) {
            assertTrue(links.contains(n), n);
        }
        var teardowns = new ArrayList<Future<?>>();
        for (var i = 0; i < 50; i++) {
            var r = requests.get(i);
            var a = allocation(r, "10.0.4." + (i + 1), 2);
            teardowns.add(pool.submit(() -> wiring.tearDown(r, a)));
        }
        for (var f : teardowns) {
            f.get();
        }
        pool.shutdown();
        assertEquals(before, settled());
    }

    @Test
    void aFailureAtAnyStepOfAddRollsBackEverything() throws InterruptedException {
        var before = KernelState.capture();
        var r = request("faulty", netns("pod-faulty"));
        var failures = 0;
        for (var step = 1; step <= 20; step++) {
            var counter = new AtomicInteger();
            var failAt = step;
            var faulty = new KernelPodWiring(new FaultyNetlink(host, counter, failAt), hostNs,
                    ns -> new FaultyNetlink(RtNetlink.openIn(ns), counter, failAt), reaper, "eni", owned);
            try {
                faulty.setUp(r, allocation(r, "10.0.5.9", 2));
                wiring.tearDown(r, allocation(r, "10.0.5.9", 2));  // the step count is past the last change
                break;
            } catch (WiringException e) {
                failures++;
                assertTrue(e.getMessage().contains("injected failure at change " + step), e.getMessage());
            }
            assertEquals(before, settled(), "after a failure at change " + step);
        }
        assertTrue(failures >= 9, "every change of ADD was failed once, got " + failures);
    }

    @Test
    void delCleansUpHalfWiredPods() throws InterruptedException {
        var before = KernelState.capture();
        var r = request("half", netns("pod-half"));
        var a = allocation(r, "10.0.6.3", 2);
        wiring.setUp(r, a);
        Ip.run("rule", "del", "priority", "512");
        Ip.run("route", "del", "10.0.6.3/32");
        wiring.tearDown(r, a);
        assertEquals(before, settled());

        wiring.setUp(r, a);
        Ip.run("link", "del", VethNames.hostVeth("eni", "default", "half"));  // the veth is gone, rules remain
        wiring.tearDown(r, a);
        assertEquals(before, settled());
    }

    @Test
    void delOfAnOldSandboxLeavesTheNewSandboxOfTheSamePodAlone() {
        var oldSandbox = request("same", netns("pod-same-old"));
        var newSandbox = new PodNetworkRequest(new AttachmentKey("aws-cni", "cid-new", "eth0"), oldSandbox.pod(),
                netns("pod-same-new"), NetworkSettings.defaults(), null);
        wiring.setUp(oldSandbox, allocation(oldSandbox, "10.0.7.1", 2));
        wiring.setUp(newSandbox, allocation(newSandbox, "10.0.7.2", 2));  // replaces the same-named veth
        wiring.tearDown(oldSandbox, allocation(oldSandbox, "10.0.7.1", 2));
        assertEquals(List.of(), wiring.check(newSandbox, allocation(newSandbox, "10.0.7.2", 2)));
        wiring.tearDown(newSandbox, allocation(newSandbox, "10.0.7.2", 2));
    }

    /** Issue 10, defect 2: a DEL of the old sandbox that has no allocation left and no prevResult. */
    @Test
    void aLateDelOfAnOldSandboxWithoutRecordOrPrevResultLeavesTheNewSandboxAlone() throws InterruptedException {
        var oldSandbox = request("late", netns("pod-late-old"));
        var newSandbox = new PodNetworkRequest(new AttachmentKey("aws-cni", "cid-late-new", "eth0"), oldSandbox.pod(),
                netns("pod-late-new"), NetworkSettings.defaults(), null);
        wiring.setUp(oldSandbox, allocation(oldSandbox, "10.0.7.11", 2));
        wiring.tearDown(oldSandbox, allocation(oldSandbox, "10.0.7.11", 2));
        reaper.awaitIdle();
        wiring.setUp(newSandbox, allocation(newSandbox, "10.0.7.12", 2));

        wiring.tearDown(oldSandbox, null);  // the runtime's late, repeated DEL of the old sandbox
        reaper.awaitIdle();
        assertEquals(List.of(), wiring.check(newSandbox, allocation(newSandbox, "10.0.7.12", 2)));
        // ... also when its stale prevResult names the same veth and the address the new sandbox now has
        var stale = new PodNetworkRequest(oldSandbox.key(), oldSandbox.pod(), "", NetworkSettings.defaults(),
                new PrevResult(new PodInterfaces(VethNames.hostVeth("eni", "default", "late"), "", "eth0", ""),
                        List.of("10.0.7.12/32"), "169.254.1.1"));
        wiring.tearDown(stale, null);
        reaper.awaitIdle();
        assertEquals(List.of(), wiring.check(newSandbox, allocation(newSandbox, "10.0.7.12", 2)));
        wiring.tearDown(newSandbox, allocation(newSandbox, "10.0.7.12", 2));
    }

    /** Issue 10, defect 1: a pod adopted at restart is owned with its ENI's route table, and heals into it. */
    @Test
    void aPodAdoptedAtRestartKeepsItsEnisTable() throws InterruptedException {
        var r = request("restarted", netns("pod-restarted"));
        var a = allocation(r, "10.0.12.5", 4);
        wiring.setUp(r, a);
        var restarted = new OwnershipRegistry();
        var after = new KernelPodWiring(host, hostNs, RtNetlink::openIn, reaper, "eni", restarted);
        assertTrue(after.adopt(a));
        var ip = IpPrefix.of("10.0.12.5/32");
        assertEquals(List.of(io.vpccni.ipamd.net.Rule.to(512, ip, 254), io.vpccni.ipamd.net.Rule.from(1536, ip, 4)),
                restarted.snapshot().rules());
        Ip.run("rule", "del", "priority", "1536");
        try (var healer = new io.vpccni.ipamd.guard.StateHealer(host, restarted, java.time.Duration.ofSeconds(30))) {
            assertEquals(1, healer.healOnce("test").rules());
            assertEquals(0, healer.healOnce("test").total(), "a second pass finds nothing missing");
        }
        var rules = Ip.run("rule", "show");
        assertTrue(rules.contains("1536:\tfrom 10.0.12.5 lookup 4") && !rules.contains("lookup 0"), rules);
        after.tearDown(r, a);
        assertTrue(!Ip.run("rule", "show").contains("10.0.12.5"));
    }

    /** Issue 10, defect 4: a DEL between a heal pass's snapshot and its writes is not undone by the pass. */
    @Test
    void aDelRacingAHealPassIsNotUndone() throws InterruptedException {
        var before = KernelState.capture();
        var r = request("racing", netns("pod-racing"));
        var a = allocation(r, "10.0.15.5", 2);
        wiring.setUp(r, a);
        var delBetweenSnapshotAndDump = new io.vpccni.ipamd.owned.OwnedObjects() {
            @Override
            public io.vpccni.ipamd.owned.OwnedState snapshot() {
                var taken = owned.snapshot();
                wiring.tearDown(r, a);
                return taken;
            }

            @Override
            public boolean writeIfOwned(Object object, Runnable write) {
                return owned.writeIfOwned(object, write);
            }
        };
        try (var healer = new io.vpccni.ipamd.guard.StateHealer(host, delBetweenSnapshotAndDump, java.time.Duration.ofSeconds(30))) {
            assertEquals(0, healer.healOnce("test").total());
        }
        assertEquals(before, settled(), "the deleted pod's rules and route stay deleted");
    }

    /** Issue 10, defect 3: GC of another network, or of ours with every pod valid, leaves our pods wired. */
    @Test
    void garbageCollectionOfAnotherNetworkLeavesOurPodsAlone() throws InterruptedException {
        var pods = new PodNetworks(new io.vpccni.ipamd.testing.InMemoryAllocator("10.0.16.1", "10.0.16.2"), wiring);
        var a = request("gc-a", netns("pod-gc-a"));
        var b = request("gc-b", netns("pod-gc-b"));
        pods.add(a, Caller.PATIENT);
        pods.add(b, Caller.PATIENT);
        var outcome = pods.collectGarbage("some-other-network", java.util.Set.of());
        reaper.awaitIdle();
        assertEquals(0, outcome.released());
        assertEquals(List.of(), outcome.errors());
        assertEquals(List.of(), pods.check(a, Caller.PATIENT));
        assertEquals(List.of(), pods.check(b, Caller.PATIENT));

        outcome = pods.collectGarbage("aws-cni", java.util.Set.of(a.key()));
        reaper.awaitIdle();
        assertEquals(1, outcome.released());
        assertEquals(List.of(), pods.check(a, Caller.PATIENT));
        assertTrue(!Ip.run("rule", "show").contains("10.0.16.2"), "b's rules went with its attachment");
        pods.del(a, Caller.PATIENT);
    }

    /** Issue 10, defect 6: the veth name is recorded with the allocation, so a changed prefix still finds it. */
    @Test
    void theRecordedVethIsFoundWhateverThePrefixIsNowAndAMismatchedConfigIsRefused() {
        var r = request("prefixed", netns("pod-prefixed"));
        var a = allocation(r, "10.0.13.5", 2);
        var interfaces = wiring.setUp(r, a);
        var recorded = new Allocation(a.key(), a.pod(), a.ipv4(), a.deviceNumber(), a.routeTableId(), interfaces.hostVethName());
        var renamed = new KernelPodWiring(host, hostNs, RtNetlink::openIn, reaper, "abc", new OwnershipRegistry());
        assertTrue(renamed.adopt(recorded), "found by its recorded name");
        assertTrue(!renamed.adopt(a), "not by the name the new prefix derives");

        var mismatched = new PodNetworkRequest(r.key(), r.pod(), r.netns(), new NetworkSettings(0, "xyz", ""), null);
        var e = assertThrows(IllegalArgumentException.class, () -> wiring.setUp(mismatched, a));
        assertTrue(e.getMessage().contains("vethPrefix 'xyz' differs from the daemon's AWS_VPC_K8S_CNI_VETHPREFIX 'eni'"), e.getMessage());
        wiring.tearDown(r, a);
    }

    /** Issue 10, defect 11: only a pod's network namespace is ever entered. */
    @Test
    void addRefusesAnythingButAPodsNetworkNamespace() throws Exception {
        var dir = Files.createTempDirectory("netns");
        var fifo = dir.resolve("fifo");
        Ip.exec(List.of("mkfifo", fifo.toString()));
        var regular = Files.writeString(dir.resolve("file"), "not a namespace");
        var cases = java.util.Map.of(
                "/proc/self/ns/net", "is the node's own network namespace",
                "/proc/thread-self/ns/net", "is the node's own network namespace",
                "/proc/self/ns/mnt", "is a namespace, but not a network namespace",
                fifo.toString(), "is not a namespace file",
                regular.toString(), "is not a namespace file");
        var before = KernelState.capture();
        for (var c : cases.entrySet()) {
            var r = request("bad", c.getKey());
            var e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30),
                    () -> assertThrows(IllegalArgumentException.class, () -> wiring.setUp(r, allocation(r, "10.0.14.1", 2))));
            assertTrue(e.getMessage().contains(c.getValue()), c.getKey() + ": " + e.getMessage());
        }
        assertEquals(before, settled(), "nothing was made on the host");
    }

    @Test
    void checkNamesEachDrift() {
        var r = request("drift", netns("pod-drift"));
        var a = allocation(r, "10.0.8.4", 2);
        var interfaces = wiring.setUp(r, a);
        Ip.run("rule", "del", "priority", "1536");
        Ip.run("route", "del", "10.0.8.4/32");
        Ip.in("pod-drift", "neigh", "replace", "169.254.1.1", "lladdr", "02:00:00:00:00:99", "dev", "eth0", "nud", "permanent");
        var text = wiring.check(r, a).toString();
        assertEquals("[route 10.0.8.4/32 dev " + interfaces.hostVethName() + " scope link in main: expected present, found missing, "
                + "rule 1536 from 10.0.8.4/32 lookup 2: expected present, found missing, "
                + "neighbour 169.254.1.1 in the pod: expected permanent " + interfaces.hostVethMac()
                + ", found permanent 02:00:00:00:00:99]", text);

        // Removing the pod's only address makes the kernel flush its routes and neighbours too; CHECK says so.
        Ip.in("pod-drift", "addr", "del", "10.0.8.4/32", "dev", "eth0");
        text = wiring.check(r, a).toString();
        assertTrue(text.contains("address on eth0 in the pod: expected 10.0.8.4/32, found missing"), text);
        assertTrue(text.contains("default route in the pod: expected via 169.254.1.1 dev eth0, found missing"), text);
        wiring.tearDown(r, a);
    }

    @Test
    void garbageCollectionRemovesOnlyWiringOfPodsNoLongerLive() throws InterruptedException {
        var live = request("live", netns("pod-live"));
        var gone = request("gone", netns("pod-gone"));
        var liveAllocation = allocation(live, "10.0.9.1", 2);
        wiring.setUp(live, liveAllocation);
        // wired by a previous daemon whose record of it is lost
        new KernelPodWiring(host, hostNs, RtNetlink::openIn, reaper, "eni", new OwnershipRegistry())
                .setUp(gone, allocation(gone, "10.0.9.2", 2));
        Ip.run("link", "add", "ensx", "type", "veth", "peer", "name", "ensy");  // not ours: never touched
        try {
            assertEquals(List.of(), wiring.removeStale(List.of(liveAllocation)));
            reaper.awaitIdle();
            var links = Ip.run("-o", "link", "show");
            assertTrue(links.contains(VethNames.hostVeth("eni", "default", "live")));
            assertTrue(!links.contains(VethNames.hostVeth("eni", "default", "gone")));
            assertTrue(links.contains("ensx"));
            var rules = Ip.run("rule", "show");
            assertTrue(rules.contains("10.0.9.1") && !rules.contains("10.0.9.2"), rules);
            assertEquals(List.of(), wiring.check(live, liveAllocation));
        } finally {
            Ip.quietly("link", "del", "ensx");
            wiring.tearDown(live, liveAllocation);
        }
    }

    @Test
    void addIntoAMissingNamespaceFailsClearly() {
        var r = request("ghost", "/run/netns/does-not-exist");
        var e = assertThrows(WiringException.class, () -> wiring.setUp(r, allocation(r, "10.0.10.1", 2)));
        assertTrue(e.getMessage().contains("cannot open the pod's network namespace: open netns /run/netns/does-not-exist: ENOENT"),
                e.getMessage());
    }
}
