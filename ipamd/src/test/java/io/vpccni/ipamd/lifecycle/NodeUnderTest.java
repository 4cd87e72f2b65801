package io.vpccni.ipamd.lifecycle;

import io.vpccni.ipamd.checkpoint.FileCheckpointStore;
import io.vpccni.ipamd.guard.StateHealer;
import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.net.NetNs;
import io.vpccni.ipamd.net.Netlink;
import io.vpccni.ipamd.net.RtNetlink;
import io.vpccni.ipamd.owned.OwnershipRegistry;
import io.vpccni.ipamd.pod.KernelPodWiring;
import io.vpccni.ipamd.pod.LinkReaper;
import io.vpccni.ipamd.pod.PodNetworks;
import io.vpccni.ipamd.pool.Datastore;
import io.vpccni.ipamd.pool.EniInfo;
import io.vpccni.ipamd.pool.PooledAllocator;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The daemon's pod half as Main and NodeServices compose it, in this JVM: pool with its durable checkpoint,
 * kernel wiring, the ownership registry and the healer (whose passes the test runs itself). Three ENIs: the
 * primary (main table) and two secondaries (tables 2 and 3), with few addresses and no cooldown, so that
 * addresses are reused as soon as they are free.
 */
final class NodeUnderTest implements AutoCloseable {
    static final String PREFIX = "eni";

    final OwnershipRegistry owned = new OwnershipRegistry();
    final LinkReaper reaper = new LinkReaper(RtNetlink.open());
    final KernelPodWiring wiring;
    final PooledAllocator pool;
    final PodNetworks pods;
    final StateHealer healer;

    /** One ENI as EC2 describes it: its device, its route table and the addresses it holds. */
    record Eni(String id, int device, int table, java.util.List<IpPrefix> addresses) {
        Eni {
            addresses = new java.util.ArrayList<>(addresses);
        }
    }

    /** The node's ENIs at start: the primary (main table) and two secondaries (tables 2 and 3). */
    static java.util.Map<String, Eni> initialEnis() {
        var enis = new java.util.TreeMap<String, Eni>();
        for (var e : java.util.List.of(eni("eni-0", 0, 254, 3), eni("eni-1", 1, 2, 3), eni("eni-2", 2, 3, 2))) {
            enis.put(e.id(), e);
        }
        return enis;
    }

    static Eni eni(String id, int device, int table, int addresses) {
        var list = new java.util.ArrayList<IpPrefix>();
        for (var i = 0; i < addresses; i++) {
            list.add(IpPrefix.of("10.20." + device + "." + (10 + i) + "/32"));
        }
        return new Eni(id, device, table, list);
    }

    final Datastore datastore;

    /** Starts as the daemon does: discover the ENIs, restore the checkpoint, adopt what is still wired, sweep what is not. */
    NodeUnderTest(Path checkpoint, Netlink host, NetNs hostNs, java.util.Collection<Eni> enis) {
        datastore = new Datastore(Clock.systemUTC(), Duration.ZERO, false);
        for (var e : enis) {
            datastore.addEni(new EniInfo(e.id(), "02:00:00:00:00:0" + e.device(), e.device(), 0, e.device() == 0, false, false,
                    "subnet-1", e.table(), Instant.EPOCH));
            e.addresses().forEach(a -> datastore.addCidr(e.id(), a, false));
        }
        pool = new PooledAllocator(datastore, new FileCheckpointStore(checkpoint));
        wiring = new KernelPodWiring(host, hostNs, RtNetlink::openIn, reaper, PREFIX, owned);
        pool.restore(wiring::adopt);
        wiring.removeStale(pool.allocations(null));
        pods = new PodNetworks(pool, wiring);
        healer = new StateHealer(host, owned, Duration.ofHours(1));
    }

    /** An orderly stop: the veths handed to the reaper are deleted before it goes. */
    @Override
    public void close() {
        reaper.close();
    }
}
