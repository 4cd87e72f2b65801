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

    /** Starts as the daemon does: restore the checkpoint, adopt what is still wired, sweep what is not. */
    NodeUnderTest(Path checkpoint, Netlink host, NetNs hostNs) {
        var datastore = new Datastore(Clock.systemUTC(), Duration.ZERO, false);
        addEni(datastore, "eni-0", 0, true, 254, "10.20.0.", 3);
        addEni(datastore, "eni-1", 1, false, 2, "10.20.1.", 3);
        addEni(datastore, "eni-2", 2, false, 3, "10.20.2.", 2);
        pool = new PooledAllocator(datastore, new FileCheckpointStore(checkpoint));
        wiring = new KernelPodWiring(host, hostNs, RtNetlink::openIn, reaper, PREFIX, owned);
        pool.restore(wiring::adopt);
        wiring.removeStale(pool.allocations(null));
        pods = new PodNetworks(pool, wiring);
        healer = new StateHealer(host, owned, Duration.ofHours(1));
    }

    private static void addEni(Datastore datastore, String id, int device, boolean primary, int table, String net, int addresses) {
        datastore.addEni(new EniInfo(id, "02:00:00:00:00:0" + device, device, 0, primary, false, false, "subnet-1", table, Instant.EPOCH));
        for (var i = 0; i < addresses; i++) {
            datastore.addCidr(id, IpPrefix.of(net + (10 + i) + "/32"), false);
        }
    }

    /** An orderly stop: the veths handed to the reaper are deleted before it goes. */
    @Override
    public void close() {
        reaper.close();
    }
}
