package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.cloud.CloudException;
import io.vpccni.ipamd.cloud.FakeEc2;
import io.vpccni.ipamd.cloud.FakeImds;
import io.vpccni.ipamd.cloud.MetadataException;
import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.pool.AttachmentKey;
import io.vpccni.ipamd.pool.Datastore;
import io.vpccni.ipamd.pool.PodIdentity;
import io.vpccni.ipamd.testing.MutableClock;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One node for the ENI tests: a fake EC2 instance with its IMDS, the datastore as discovery fills it, and the
 * lifecycle over them with links that appear at once and host wiring that records what it was asked.
 */
final class Node {
    static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

    final MutableClock clock = new MutableClock(T0);
    final FakeEc2 ec2;
    final FakeImds imds;
    final Datastore datastore;
    final List<String> wiring = new CopyOnWriteArrayList<>();
    final List<Duration> backoffPauses = new CopyOnWriteArrayList<>();
    NodeDiscovery.Node discovered;
    EniLifecycle lifecycle;
    private int pods;

    Node(int maxEnis, boolean prefixMode) {
        ec2 = new FakeEc2("i-0123", maxEnis);
        imds = new FakeImds(ec2);
        datastore = new Datastore(clock, Duration.ZERO, prefixMode);
    }

    /** Discovers the node as the daemon does at start, and builds the lifecycle. */
    Node start() throws CloudException, MetadataException {
        return start(Map.of());
    }

    /** As {@link #start()}, with these daemon settings. */
    Node start(Map<String, String> env) throws CloudException, MetadataException {
        discovered = NodeDiscovery.discover(imds, ec2, env, clock);
        NodeDiscovery.load(datastore, discovered);
        lifecycle = new EniLifecycle(ec2, imds, datastore, discovered.identity(), (mac, timeout) -> "eth-" + mac.substring(12),
                new EniHostWiring() {
                    @Override
                    public void setUp(io.vpccni.ipamd.pool.EniInfo eni, String linkName, String primaryIp, IpPrefix subnet) {
                        wiring.add("up " + eni.eniId());
                    }

                    @Override
                    public void tearDown(io.vpccni.ipamd.pool.EniInfo eni) {
                        wiring.add("down " + eni.eniId());
                    }
                }, clock, new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 3, backoffPauses::add, new Random(1)));
        return this;
    }

    String primary() {
        return ec2.primaryEniId();
    }

    /** A pod ADD: the lowest free address, as the datastore hands them out. */
    String addPod() {
        var n = pods++;
        return datastore.assign(new AttachmentKey("aws-cni", "c" + n, "eth0"), new PodIdentity("default", "p" + n, "", ""))
                .allocation().ipv4Text();
    }

    Set<String> pooledEnis() {
        var ids = new HashSet<String>();
        datastore.usage().forEach(u -> ids.add(u.info().eniId()));
        return ids;
    }

    /** What the pool holds on {@code eniId}, as EC2 would list it: /32s as addresses, prefixes as CIDRs. */
    List<String> pooledCidrs(String eniId) {
        var out = new ArrayList<String>();
        for (var u : datastore.usage()) {
            if (u.info().eniId().equals(eniId)) {
                for (var c : u.cidrs()) {
                    out.add(c.length() == 32 ? c.address().getHostAddress() : c.toString());
                }
            }
        }
        return out.stream().sorted().toList();
    }

    /** The pool and EC2 agree: the same ENIs, and on each the same secondary addresses and prefixes. */
    void assertPoolMatchesEc2() {
        var inEc2 = new HashSet<String>();
        for (var id : ec2.eniIds()) {
            if (ec2.attached(id) && datastore.unpooledEnis().stream().noneMatch(u -> u.eniId().equals(id))) {
                inEc2.add(id);
            }
        }
        assertEquals(inEc2, pooledEnis(), "ENIs in EC2 (attached, not outside the pool) and in the pool");
        for (var id : inEc2) {
            var ec2Cidrs = new ArrayList<String>(ec2.secondaryIps(id));
            ec2Cidrs.addAll(ec2.prefixes(id));
            assertEquals(ec2Cidrs.stream().sorted().toList(), pooledCidrs(id), "addresses of " + id + " in EC2 and in the pool");
        }
    }
}
