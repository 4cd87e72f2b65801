package io.vpccni.test.bench;

import io.vpccni.ipamd.checkpoint.InMemoryCheckpointStore;
import io.vpccni.ipamd.cloud.CloudException;
import io.vpccni.ipamd.cloud.MetadataException;
import io.vpccni.ipamd.cloud.SdkEc2Api;
import io.vpccni.ipamd.eni.Backoff;
import io.vpccni.ipamd.eni.EniHostWiring;
import io.vpccni.ipamd.eni.EniLifecycle;
import io.vpccni.ipamd.eni.EniLinks;
import io.vpccni.ipamd.eni.NodeDiscovery;
import io.vpccni.ipamd.eni.PoolManager;
import io.vpccni.ipamd.schedule.VirtualThreadScheduler;
import io.vpccni.ipamd.policy.InstanceLimitsTable;
import io.vpccni.ipamd.policy.PoolConfig;
import io.vpccni.ipamd.policy.WarmPoolPolicy;
import io.vpccni.ipamd.pool.Datastore;
import io.vpccni.ipamd.pool.PooledAllocator;
import io.vpccni.simcloud.SimulatedAccount;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * One node's pool executor, in process and without kernel work: discovery, a datastore with an in-memory
 * checkpoint, the ENI lifecycle (links "appear" at once, no host wiring) and the reconcile loop, wired exactly
 * as {@code NodeServices} wires the daemon, against its own SDK client of the shared simulated EC2 endpoint.
 */
final class BurstNode implements AutoCloseable {
    /** An attached ENI is a kernel link at once: there is no kernel here. */
    private static final EniLinks INSTANT_LINKS = (mac, timeout) -> "ens-" + mac.replace(":", "");

    final int index;
    final String instanceId;
    final SdkEc2Api sdk;
    final Datastore datastore;
    final PooledAllocator pool;
    final int maxPods;
    private final PoolManager manager;
    /** Each node is a daemon of its own, with a scheduler of its own. */
    private final VirtualThreadScheduler scheduler = new VirtualThreadScheduler();

    private BurstNode(int index, String instanceId, SdkEc2Api sdk, Datastore datastore, PooledAllocator pool, int maxPods,
                      PoolManager manager) {
        this.index = index;
        this.instanceId = instanceId;
        this.sdk = sdk;
        this.datastore = datastore;
        this.pool = pool;
        this.maxPods = maxPods;
        this.manager = manager;
    }

    /**
     * Discovers the node and opens its pool, retrying discovery as the daemon does (every {@code retry}) while
     * EC2 throttles it. The reconcile loop is built but not started.
     */
    static BurstNode discover(int index, SimulatedAccount account, String instanceId, URI ec2Endpoint, String region,
                              AwsCredentialsProvider credentials, Map<String, String> env, CountingEc2Api.Tally tally,
                              Duration retry) throws InterruptedException {
        var clock = Clock.systemUTC();
        var sdk = new SdkEc2Api(ec2Endpoint, region, credentials);
        var ec2 = new CountingEc2Api(sdk, tally);
        var imds = new AccountMetadata(account, instanceId);
        NodeDiscovery.Node node;
        while (true) {
            try {
                node = NodeDiscovery.discover(imds, ec2, env, clock);
                break;
            } catch (CloudException | MetadataException e) {
                Thread.sleep(retry.toMillis());
            }
        }
        var config = PoolConfig.fromEnv(env);
        var datastore = new Datastore(clock, config.ipCooldownPeriod(), config.prefixDelegation());
        NodeDiscovery.load(datastore, node);
        var pool = new PooledAllocator(datastore, new InMemoryCheckpointStore());
        pool.restore(a -> true);
        var lifecycle = new EniLifecycle(ec2, imds, datastore, node.identity(), INSTANT_LINKS, EniHostWiring.NONE, clock,
                Backoff.standard(Backoff.Sleeper.REAL));
        var maxPods = InstanceLimitsTable.maxPods(node.limits());
        var manager = new PoolManager(new WarmPoolPolicy(config, node.limits()), datastore, lifecycle, maxPods, clock);
        pool.onChange(manager::wake);
        return new BurstNode(index, instanceId, sdk, datastore, pool, maxPods, manager);
    }

    /** Starts the reconcile loop on the node's scheduler, as the daemon does once the pool is open. */
    void start(Duration interval) {
        manager.start(scheduler, interval);
    }

    @Override
    public void close() {
        manager.close();
        scheduler.close();
        sdk.close();
    }
}
