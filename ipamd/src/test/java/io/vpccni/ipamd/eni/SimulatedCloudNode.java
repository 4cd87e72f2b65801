package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.checkpoint.InMemoryCheckpointStore;
import io.vpccni.ipamd.cloud.ImdsClient;
import io.vpccni.ipamd.cloud.SdkEc2Api;
import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.policy.PoolAction;
import io.vpccni.ipamd.policy.PoolConfig;
import io.vpccni.ipamd.policy.WarmPoolPolicy;
import io.vpccni.ipamd.pool.AttachmentKey;
import io.vpccni.ipamd.pool.Datastore;
import io.vpccni.ipamd.pool.PodIdentity;
import io.vpccni.ipamd.pool.PooledAllocator;
import io.vpccni.ipamd.testing.MutableClock;
import io.vpccni.simcloud.Ec2Server;
import io.vpccni.simcloud.ImdsServer;
import io.vpccni.simcloud.ManualClock;
import io.vpccni.simcloud.SimulatedAccount;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.retries.api.BackoffStrategy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One node of the daemon's pool on the simulated cloud, in-process and without a kernel: the real SDK EC2 client
 * and IMDS client against the simulator's servers, the real discovery, datastore, durable allocator, ENI
 * lifecycle and reconcile loop, with in-memory links and host wiring. Backoff pauses are recorded, not slept.
 */
final class SimulatedCloudNode implements AutoCloseable {
    static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
    static final String ACCESS_KEY = "AKIAIPAMDTEST0000000";

    /** Drives the simulator (throttle refill, attach times, IMDS tokens); the daemon's clock is {@link #clock}. */
    final ManualClock cloudClock = new ManualClock(T0);
    final MutableClock clock = new MutableClock(T0);
    final SimulatedAccount account;
    final String subnetId;
    final String instanceId;
    final Ec2Server ec2Server;
    final Ec2Server.AccountEndpoint endpoint;
    final ImdsServer imdsServer;
    final SdkEc2Api ec2;
    final ImdsClient imds;
    final SimulatedLinks links;
    final InMemoryHostWiring wiring;
    final List<Duration> backoffPauses = new CopyOnWriteArrayList<>();
    NodeDiscovery.Node discovered;
    Datastore datastore;
    PooledAllocator pool;
    EniLifecycle lifecycle;
    PoolManager manager;
    private int pods;

    SimulatedCloudNode(String instanceType, String subnetCidr) throws Exception {
        account = new SimulatedAccount("111122223333", "10.0.0.0/16", cloudClock, 7);
        subnetId = account.createSubnet(subnetCidr, "us-west-2a");
        instanceId = account.launchInstance(instanceType, subnetId, List.of(account.defaultSecurityGroupId()));
        links = new SimulatedLinks(instanceId);
        account.addListener(links);
        var primary = account.instance(instanceId).primaryInterface();
        links.attached(instanceId, primary);  // the primary ENI was there before the listener
        wiring = new InMemoryHostWiring(links);
        ec2Server = Ec2Server.start(cloudClock);
        endpoint = ec2Server.register(ACCESS_KEY, account);
        imdsServer = ImdsServer.start(account, instanceId, cloudClock);
        // The daemon's SDK settings, but retries without waiting: throttling tests then take no wall-clock time.
        ec2 = new SdkEc2Api(new SdkEc2Api.Settings(Optional.of(ec2Server.uri()), Optional.of("us-west-2"),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, "x")), SdkEc2Api.MIN_HTTP_TIMEOUT,
                SdkEc2Api.DEFAULT_MAX_ATTEMPTS, Optional.of(BackoffStrategy.retryImmediately()), Optional.empty()));
        imds = new ImdsClient(imdsServer.uri(), Duration.ofSeconds(2), cloudClock);
    }

    /** Discovers the node as the daemon does at start and builds its pool with {@code env}'s warm-pool settings. */
    SimulatedCloudNode start(Map<String, String> env) throws Exception {
        discovered = NodeDiscovery.discover(imds, ec2, Map.of(), clock);
        var config = PoolConfig.fromEnv(env);
        datastore = new Datastore(clock, Duration.ZERO, config.prefixDelegation());
        NodeDiscovery.load(datastore, discovered);
        pool = new PooledAllocator(datastore, new InMemoryCheckpointStore());
        pool.restore(a -> true);
        lifecycle = new EniLifecycle(ec2, imds, datastore, discovered.identity(), links, wiring, clock,
                new Backoff(Duration.ofMillis(10), Duration.ofMillis(100), 5, backoffPauses::add, new Random(1)));
        manager = new PoolManager(new WarmPoolPolicy(config, discovered.limits()), datastore, lifecycle, 110, clock);
        return this;
    }

    /** Reconciles until the policy has nothing left to do; failed steps (throttled calls) are retried. */
    void settle() throws InterruptedException {
        for (var i = 0; i < 60; i++) {
            if (manager.reconcileOnce() instanceof PoolAction.Nothing) {
                return;
            }
        }
        throw new AssertionError("the pool did not settle in 60 steps");
    }

    /** A pod ADD. @return its address */
    String addPod() {
        var n = pods++;
        return pool.assign(new AttachmentKey("aws-cni", "c" + n, "eth0"), new PodIdentity("default", "p" + n, "", ""))
                .allocation().ipv4Text();
    }

    /** A DEL of every pod added so far. */
    void removeAllPods() {
        for (var n = 0; n < pods; n++) {
            pool.release(new AttachmentKey("aws-cni", "c" + n, "eth0"));
        }
    }

    /** ENIs EC2 has attached to this instance, by device index. */
    List<io.vpccni.simcloud.NetworkInterface> attachedInEc2() {
        return account.instance(instanceId).networkInterfaces();
    }

    /** The pool and EC2 agree: the same ENIs, and on each exactly the secondary addresses (or prefixes) EC2 lists. */
    void assertPoolMatchesCloud() {
        var inEc2 = new TreeMap<String, List<String>>();
        for (var eni : attachedInEc2()) {
            var cidrs = new ArrayList<String>();
            eni.secondaryIps().forEach(ip -> cidrs.add(ip + "/32"));
            cidrs.addAll(eni.prefixes());
            inEc2.put(eni.id(), cidrs.stream().sorted().toList());
        }
        var inPool = new TreeMap<String, List<String>>();
        for (var u : datastore.usage()) {
            inPool.put(u.info().eniId(), u.cidrs().stream().map(IpPrefix::toString).sorted().toList());
        }
        assertEquals(inEc2, inPool, "ENIs and their addresses in EC2 and in the pool");
    }

    @Override
    public void close() {
        if (manager != null) {
            manager.close();
        }
        ec2.close();
        imds.close();
        imdsServer.close();
        ec2Server.close();
    }
}
