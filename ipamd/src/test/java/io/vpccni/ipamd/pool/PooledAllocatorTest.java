package io.vpccni.ipamd.pool;

import io.vpccni.ipamd.checkpoint.FileCheckpointStore;
import io.vpccni.ipamd.checkpoint.InMemoryCheckpointStore;
import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PooledAllocatorTest {
    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
    private static final PodIdentity POD = new PodIdentity("default", "web", "uid", "infra");

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);

    private Datastore datastore() {
        var ds = new Datastore(clock, Duration.ofSeconds(30), false);
        ds.addEni(new EniInfo("eni-a", "02:00:00:00:00:01", 0, 0, true, false, false, "subnet-1", 254, T0));
        ds.addEni(new EniInfo("eni-b", "02:00:00:00:00:02", 1, 0, false, false, false, "subnet-1", 2, T0));
        ds.addCidr("eni-a", IpPrefix.of("10.0.0.5/32"), false);
        ds.addCidr("eni-b", IpPrefix.of("10.0.1.5/32"), false);
        ds.addCidr("eni-b", IpPrefix.of("10.0.1.6/32"), false);
        return ds;
    }

    private static AttachmentKey key(String c) {
        return new AttachmentKey("aws-cni", c, "eth0");
    }

    @Test
    void refusesUntilRestoredThenEveryAnswerFollowsADurableWrite() {
        var store = new InMemoryCheckpointStore();
        var pool = new PooledAllocator(datastore(), store);
        var e = assertThrows(PoolException.class, () -> pool.assign(key("c1"), POD));
        assertEquals(PoolException.Reason.NOT_READY, e.reason());
        assertFalse(pool.status().ready());

        pool.restore(a -> true);
        var a = pool.assign(key("c1"), POD).allocation();
        assertEquals("10.0.0.5", store.saved().orElseThrow().allocations().getFirst().ipv4());
        assertEquals(a.ipv4Text(), store.saved().orElseThrow().allocations().getFirst().ipv4());
        pool.release(key("c1"));
        assertTrue(store.saved().orElseThrow().allocations().isEmpty());
        assertEquals(new PoolStatus(true, "", 2, 0), pool.status(), "the released address is cooling down");
    }

    @Test
    void aFailedWriteUndoesTheAssignment() {
        var store = new InMemoryCheckpointStore();
        var pool = new PooledAllocator(datastore(), store);
        pool.restore(a -> true);
        store.failNextSave();
        var e = assertThrows(PoolException.class, () -> pool.assign(key("c1"), POD));
        assertEquals(PoolException.Reason.NOT_DURABLE, e.reason());
        assertTrue(e.getMessage().contains("so it was undone"), e.getMessage());
        assertTrue(pool.find(key("c1")).isEmpty());
        assertEquals("10.0.0.5", pool.assign(key("c2"), POD).allocation().ipv4Text(), "the address was never handed out");
    }

    @Test
    void aFailedWriteOfAReleaseLeavesThePodItsAddress() {
        var store = new InMemoryCheckpointStore();
        var pool = new PooledAllocator(datastore(), store);
        pool.restore(a -> true);
        var a = pool.assign(key("c1"), POD).allocation();
        store.failNextSave();
        assertThrows(PoolException.class, () -> pool.release(key("c1")));
        assertEquals(a, pool.find(key("c1")).orElseThrow());
        assertEquals(1, store.saved().orElseThrow().allocations().size());
    }

    @Test
    void concurrentAddsAndDelsNeverShareAnAddressAndEndWithMemoryOnDisk() throws Exception {
        var ds = new Datastore(clock, Duration.ZERO, false);
        ds.addEni(new EniInfo("eni-a", "02:00:00:00:00:01", 0, 0, true, false, false, "subnet-1", 254, T0));
        for (var i = 1; i <= 20; i++) {
            ds.addCidr("eni-a", IpPrefix.of("10.0.0." + i + "/32"), false);
        }
        var file = dir.resolve("ipam.json");
        var pool = new PooledAllocator(ds, new FileCheckpointStore(file));
        pool.restore(a -> true);
        var holders = new java.util.concurrent.ConcurrentHashMap<java.net.Inet4Address, AttachmentKey>();
        var executor = java.util.concurrent.Executors.newFixedThreadPool(16);
        var futures = new java.util.ArrayList<java.util.concurrent.Future<?>>();
        for (var t = 0; t < 16; t++) {
            var thread = t;
            futures.add(executor.submit(() -> {
                for (var i = 0; i < 100; i++) {
                    var k = key("t" + thread + "-" + i);
                    var ip = pool.assign(k, POD).allocation().ipv4();
                    var previous = holders.putIfAbsent(ip, k);
                    assertEquals(null, previous, ip + " handed to " + k + " while " + previous + " held it");
                    holders.remove(ip, k);
                    pool.release(k);
                }
                return null;
            }));
        }
        for (var f : futures) {
            f.get();
        }
        executor.shutdown();
        pool.assign(key("last"), POD);
        var reloaded = new FileCheckpointStore(file).load().orElseThrow();
        assertEquals(1, reloaded.allocations().size());
        assertEquals("last", reloaded.allocations().getFirst().containerId());
        assertTrue(pool.checkpointSaves() < 16 * 100 * 2, "concurrent changes shared checkpoint writes");
    }

    @Test
    void anUnreadableCheckpointKeepsThePoolClosedAndSaysWhy() throws Exception {
        var file = dir.resolve("ipam.json");
        Files.writeString(file, "{\"version\":\"vpc-cni-ipam/1\",\"allocations\":[{\"networkName\":\"aws-cni\",");
        var pool = new PooledAllocator(datastore(), new FileCheckpointStore(file));
        var e = assertThrows(PoolException.class, () -> pool.restore(a -> true));
        assertEquals(PoolException.Reason.NOT_READY, e.reason());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertFalse(pool.status().ready());
        assertTrue(pool.status().reason().contains(file.toString()));
        assertThrows(PoolException.class, () -> pool.assign(key("c1"), POD));
        assertTrue(Files.readString(file).endsWith("\"aws-cni\","), "the damaged file is left as it was");
    }

    @Test
    void restoresAnUpstreamCheckpointKeepingOnlyWiredPodsOnHeldAddresses() throws Exception {
        var file = dir.resolve("ipam.json");
        Files.writeString(file, """
                {"version":"vpc-cni-ipam/1","allocations":[
                 {"networkName":"aws-cni","containerID":"c-running","ifName":"eth0","ipv4":"10.0.1.6","allocationTimestamp":1764072000000000000,
                  "metadata":{"k8sPodNamespace":"shop","k8sPodName":"cart-0","interfacesCount":1}},
                 {"networkName":"aws-cni","containerID":"c-gone","ifName":"eth0","ipv4":"10.0.1.5","allocationTimestamp":1764072000000000000,
                  "metadata":{"k8sPodNamespace":"shop","k8sPodName":"cart-1","interfacesCount":1}},
                 {"networkName":"aws-cni","containerID":"c-elsewhere","ifName":"eth0","ipv4":"10.9.9.9","allocationTimestamp":1764072000000000000,
                  "metadata":{"k8sPodNamespace":"shop","k8sPodName":"cart-2","interfacesCount":1}}]}
                """);
        var pool = new PooledAllocator(datastore(), new FileCheckpointStore(file));
        var report = pool.restore(a -> !a.pod().name().equals("cart-1"));
        assertEquals(1, report.restored());
        assertEquals(2, report.dropped().size());
        var kept = pool.find(key("c-running")).orElseThrow();
        assertEquals("10.0.1.6", kept.ipv4Text());
        assertEquals(2, kept.routeTableId());
        assertEquals("shop", kept.pod().namespace());
        var rewritten = Files.readString(file);
        assertTrue(rewritten.contains("c-running") && !rewritten.contains("c-gone") && !rewritten.contains("c-elsewhere"), rewritten);
        // The pod whose wiring was gone gave its address back: the next pod gets it.
        assertEquals("10.0.0.5", pool.assign(key("next"), POD).allocation().ipv4Text());
        assertEquals("10.0.1.5", pool.assign(key("next2"), POD).allocation().ipv4Text());
    }

    /** Issue 10, defect 1: the wiring adopts a restored pod with the ENI and table its address lives on. */
    @Test
    void restoreJudgesEachPodOnItsRealEniAndTableAndKeepsItsRecordedVeth() {
        var store = new InMemoryCheckpointStore();
        var first = new PooledAllocator(datastore(), store);
        first.restore(a -> true);
        first.assign(key("c1"), POD);  // 10.0.0.5 on the primary ENI
        first.assign(key("c2"), POD, "eni0123456789a");  // 10.0.1.5 on eni-b, table 2

        var seen = new java.util.ArrayList<Allocation>();
        var restarted = new PooledAllocator(datastore(), store);
        restarted.restore(a -> seen.add(a));
        assertEquals(List.of(
                new Allocation(key("c1"), new PodIdentity("default", "web", "", ""), IpPrefix.ipv4("10.0.0.5"), 0, 254, ""),
                new Allocation(key("c2"), new PodIdentity("default", "web", "", ""), IpPrefix.ipv4("10.0.1.5"), 1, 2, "eni0123456789a")),
                seen);
    }
}
