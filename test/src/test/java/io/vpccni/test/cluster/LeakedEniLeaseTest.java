package io.vpccni.test.cluster;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vpccni.ipamd.cloud.CreateEniRequest;
import io.vpccni.ipamd.cloud.EniTags;
import io.vpccni.ipamd.cloud.SdkEc2Api;
import io.vpccni.ipamd.eni.LeakedEniCollector;
import io.vpccni.ipamd.eni.SweepScope;
import io.vpccni.ipamd.k8s.Cluster;
import io.vpccni.ipamd.k8s.KubeCluster;
import io.vpccni.ipamd.k8s.KubeSettings;
import io.vpccni.ipamd.schedule.VirtualThreadScheduler;
import io.vpccni.ipamd.testing.MutableClock;
import io.vpccni.simcloud.ApiCounters;
import io.vpccni.simcloud.Ec2Server;
import io.vpccni.simcloud.SimulatedAccount;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster-wide leaked-ENI sweep across nodes, with the daemon's real parts and no kernel: three nodes each run the
 * real {@link LeakedEniCollector} through the real SDK client against one simulated EC2 account, sharing the real
 * Lease ({@code KubeCluster.connect}, each with its own client and node name) on a mock API server. A terminated
 * node's ENI (attached without DeleteOnTermination, so terminating left it {@code available}) is deleted by the node
 * that holds the lease, and the others make no EC2 call at all; when the holder dies, another node takes over once
 * its term has lapsed. The collectors' clock is a manual one (the sweep is hourly and the lease term 70 minutes), so
 * the lease's expiry and the 5-minute grace of new ENIs are stepped over, not waited for.
 */
class LeakedEniLeaseTest {
    private static final String CLUSTER = "e2e";
    private static final String ACCESS_KEY = "AKIALEASETEST0000000";

    private final MutableClock clock = new MutableClock(Instant.now());
    private final SimulatedAccount account = new SimulatedAccount("111122223333", "10.0.0.0/16", InstantSource.system(), 11);
    private final String subnet = account.createSubnet("10.0.1.0/24", "us-west-2a");
    private final Ec2Server ec2Server;
    private final ApiCounters calls;
    private final LoopbackApiServer api = new LoopbackApiServer();
    private final VirtualThreadScheduler scheduler = new VirtualThreadScheduler();
    private final List<AutoCloseable> closing = new ArrayList<>();

    /** One node's daemon parts that take part in the sweep. */
    record Node(String name, String instanceId, SdkEc2Api ec2, Cluster cluster, LeakedEniCollector collector,
                SimpleMeterRegistry metrics) {
        double sweeps(String scope) {
            return metrics.get("awscni_leaked_eni_sweeps").tag("scope", scope).counter().count();
        }
    }

    LeakedEniLeaseTest() throws Exception {
        ec2Server = Ec2Server.start(InstantSource.system());
        calls = ec2Server.register(ACCESS_KEY, account).counters();
    }

    @AfterEach
    void stop() throws Exception {
        for (var c : closing.reversed()) {
            c.close();
        }
        scheduler.close();
        api.close();
        ec2Server.close();
    }

    private SdkEc2Api ec2() {
        var ec2 = new SdkEc2Api(URI.create(ec2Server.uri().toString()), "us-west-2",
                StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, "x")));
        closing.add(ec2);
        return ec2;
    }

    /** A node of the cluster: an instance, and its daemon's EC2 client, API server connection and collector. */
    private Node node(String name) {
        var instanceId = account.launchInstance("m5.large", subnet, List.of(account.defaultSecurityGroupId()));
        var settings = new KubeSettings(Optional.empty(), Optional.empty(), false, Optional.of(name), Optional.empty(), "kube-system");
        var metrics = new SimpleMeterRegistry();
        var cluster = KubeCluster.connect(api.config(), settings, KubeCluster.Features.of(false), metrics, scheduler, clock);
        closing.add(cluster);
        var ec2 = ec2();
        var collector = new LeakedEniCollector(ec2, new SweepScope(instanceId, account.vpcId(), Optional.of(CLUSTER)),
                cluster.sweepLease(), metrics, clock);
        return new Node(name, instanceId, ec2, cluster, collector, metrics);
    }

    /**
     * A node whose daemon created and attached an ENI and was terminated before it marked the ENI delete-on-termination:
     * the ENI stays, {@code available}, tagged for {@code cluster}. @return its id
     */
    private String terminatedNodeLeaving(String cluster) throws Exception {
        var instanceId = account.launchInstance("m5.large", subnet, List.of(account.defaultSecurityGroupId()));
        var ec2 = ec2();
        var eni = ec2.createNetworkInterface(new CreateEniRequest(subnet, List.of(account.defaultSecurityGroupId()),
                EniTags.description(instanceId), 2, 0, EniTags.forNewEni(instanceId, clock.instant(), Optional.of(cluster), Map.of())));
        ec2.attach(eni.eniId(), instanceId, 1, 0);
        account.operator().terminate(instanceId);
        assertEquals("available", account.networkInterface(eni.eniId()).status());
        return eni.eniId();
    }

    private boolean exists(String eniId) {
        return account.networkInterfaces().stream().anyMatch(e -> e.id().equals(eniId));
    }

    private String leaseHolder() {
        var lease = api.admin.leases().inNamespace("kube-system").withName("aws-node-leaked-eni-sweeper").get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

    /** One node's sweep and the EC2 calls the account saw meanwhile (nothing else calls EC2 in this test). */
    private record Swept(List<String> deleted, Map<String, ApiCounters.Counts> calls) {
        long calls(String action) {
            return calls.getOrDefault(action, ApiCounters.Counts.NONE).calls();
        }

        long total() {
            return ApiCounters.total(calls).calls();
        }
    }

    private Swept sweep(Node node) throws Exception {
        var before = calls.snapshot();
        var deleted = node.collector().sweep();
        return new Swept(deleted, ApiCounters.since(before, calls.snapshot()));
    }

    @Test
    void theLeaseHolderDeletesATerminatedNodesEniAndTheOthersMakeNoCall() throws Exception {
        var nodes = List.of(node("ip-10-0-1-11"), node("ip-10-0-1-12"), node("ip-10-0-1-13"));
        var leaked = terminatedNodeLeaving(CLUSTER);
        var otherClusters = terminatedNodeLeaving("another-cluster");
        clock.advance(Duration.ofMinutes(10));  // past the grace period of new ENIs

        // The three hourly passes fall together: exactly one node wins the lease and sweeps for the cluster.
        var before = calls.snapshot();
        var barrier = new CyclicBarrier(nodes.size());
        var results = new ArrayList<List<String>>();
        try (var pool = Executors.newFixedThreadPool(nodes.size())) {
            var futures = nodes.stream().map(n -> pool.submit((Callable<List<String>>) () -> {
                barrier.await(10, TimeUnit.SECONDS);
                return n.collector().sweep();
            })).toList();
            for (var f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
        }
        var during = ApiCounters.since(before, calls.snapshot());
        var holder = leaseHolder();
        var holderIndex = nodes.stream().map(Node::name).toList().indexOf(holder);
        assertTrue(holderIndex >= 0, "the lease is held by one of the nodes: " + holder);
        assertEquals(List.of(leaked), results.get(holderIndex), "the holder deleted the terminated node's ENI");
        for (var i = 0; i < nodes.size(); i++) {
            if (i != holderIndex) {
                assertEquals(List.of(), results.get(i));
                assertEquals(1.0, nodes.get(i).sweeps("none"), nodes.get(i).name() + " skipped its pass");
            }
        }
        assertEquals(1, during.get("DescribeNetworkInterfaces").calls(), "one cluster-wide Describe between three nodes: " + during);
        assertEquals(1, during.get("DeleteNetworkInterface").calls(), "" + during);
        assertFalse(exists(leaked));
        assertTrue(exists(otherClusters), "another cluster's leaked ENI is left alone");

        // The next hour, node by node: the others make no EC2 call at all, the holder renews and sweeps a new leak.
        var holderNode = nodes.get(holderIndex);
        var others = nodes.stream().filter(n -> n != holderNode).toList();
        var leakedLater = terminatedNodeLeaving(CLUSTER);
        clock.advance(Duration.ofMinutes(60));
        for (var other : others) {
            var swept = sweep(other);
            assertEquals(List.of(), swept.deleted());
            assertEquals(0, swept.total(), other.name() + " made EC2 calls: " + swept.calls());
        }
        var byHolder = sweep(holderNode);
        assertEquals(List.of(leakedLater), byHolder.deleted());
        assertEquals(1, byHolder.calls("DescribeNetworkInterfaces"), "" + byHolder.calls());
        assertEquals(holderNode.name(), leaseHolder());

        // The holder's node goes away with its daemon: once its term lapses, another node takes the lease over.
        holderNode.cluster().close();
        closing.remove(holderNode.cluster());
        var leakedAfter = terminatedNodeLeaving(CLUSTER);
        clock.advance(Duration.ofMinutes(30));
        for (var other : others) {
            assertEquals(0, sweep(other).total(), other.name() + ": the dead holder's term has not lapsed yet");
        }
        clock.advance(Duration.ofMinutes(45));
        var successor = sweep(others.getFirst());
        assertEquals(List.of(leakedAfter), successor.deleted());
        assertEquals(1, successor.calls("DescribeNetworkInterfaces"));
        assertEquals(others.getFirst().name(), leaseHolder());
        assertEquals(0, sweep(others.getLast()).total(), "the last node leaves it to the new holder");
        assertTrue(exists(otherClusters));
    }
}
