package io.vpccni.ipamd;

import io.vpccni.ipamd.checkpoint.FileCheckpointStore;
import io.vpccni.ipamd.cloud.CloudException;
import io.vpccni.ipamd.cloud.ImdsClient;
import io.vpccni.ipamd.cloud.MetadataException;
import io.vpccni.ipamd.cloud.SdkEc2Api;
import io.vpccni.ipamd.eni.Backoff;
import io.vpccni.ipamd.guard.EniGuard;
import io.vpccni.ipamd.guard.OwnershipWatch;
import io.vpccni.ipamd.guard.LinkOwnership;
import io.vpccni.ipamd.guard.StateHealer;
import io.vpccni.ipamd.owned.OwnedState;
import io.vpccni.ipamd.owned.OwnershipRegistry;
import io.vpccni.ipamd.host.HostNetwork;
import io.vpccni.ipamd.host.KernelEniWiring;
import io.vpccni.ipamd.host.Nft;
import io.vpccni.ipamd.host.ProcessIptables;
import io.vpccni.ipamd.host.Sysctls;
import io.vpccni.ipamd.cloud.AwsApiMetrics;
import io.vpccni.ipamd.observe.DaemonMetrics;
import io.vpccni.ipamd.observe.Introspection;
import io.vpccni.ipamd.observe.TimedCheckpointStore;
import io.vpccni.ipamd.rpc.NetworkFacts;
import io.vpccni.ipamd.k8s.Cluster;
import io.vpccni.ipamd.k8s.PodAnnotator;
import io.vpccni.ipamd.eni.EniPlacement;
import io.vpccni.ipamd.eni.NodeConditions;
import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.eni.EniLifecycle;
import io.vpccni.ipamd.eni.LeakedEniCollector;
import io.vpccni.ipamd.eni.NetlinkEniLinks;
import io.vpccni.ipamd.eni.NodeDiscovery;
import io.vpccni.ipamd.eni.PoolManager;
import io.vpccni.ipamd.eni.EniAttachmentListener;
import io.vpccni.ipamd.eni.NewEniHandler;
import io.vpccni.ipamd.eni.NodeReconciler;
import io.vpccni.ipamd.eni.SweepScope;
import io.vpccni.ipamd.net.Netlink;
import io.vpccni.ipamd.net.NetlinkMonitor;
import io.vpccni.ipamd.pod.PodWiring;
import io.vpccni.ipamd.policy.InstanceLimitsTable;
import io.vpccni.ipamd.policy.WarmPoolPolicy;
import io.vpccni.ipamd.pool.Datastore;
import io.vpccni.ipamd.pool.PoolException;
import io.vpccni.ipamd.pool.PooledAllocator;
import io.vpccni.ipamd.schedule.Next;
import io.vpccni.ipamd.schedule.Scheduler;
import io.vpccni.ipamd.schedule.Task;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Brings the node's pool up behind the already-serving RPC server: discover the node from IMDS and EC2,
 * restore the checkpoint against its ENIs, then keep the warm pool with the reconcile loop. Until that
 * succeeds the pool stays closed and says why; it retries, so a slow IMDS only delays readiness.
 */
final class NodeServices implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeServices.class);
    private static final Duration RETRY = Duration.ofSeconds(5);
    /** Upstream polls the API server every 2 s while a feature waits for it. */
    private static final Duration API_SERVER_RETRY = Duration.ofSeconds(2);
    private static final Duration RECONCILE_INTERVAL = Duration.ofMillis(2500);
    /** How often ENI ownership is re-read when no watched directory reported a change. */
    private static final Duration GUARD_FALLBACK_INTERVAL = Duration.ofSeconds(10);
    /** Upstream's interval for noticing VPC CIDR changes. */
    private static final Duration HOST_NETWORK_INTERVAL = Duration.ofSeconds(30);

    private final Settings settings;
    private final Datastore datastore;
    private final PooledAllocator pool;
    private final PodWiring wiring;
    private final OwnershipRegistry owned;
    private final Netlink host;
    private final MeterRegistry registry;
    private final DaemonMetrics metrics;
    private final AwsApiMetrics awsApiMetrics;
    private volatile HostNetwork hostNetwork;
    /** Made once and kept across start-up retries: each SDK client owns threads and connections. */
    private SdkEc2Api ec2;
    private ImdsClient imds;
    /** The node once discovered and its checkpoint restored: a retry after that must not load it twice. */
    private volatile NodeDiscovery.Node node;
    private EniPlacement placement;
    /** The loops start once; a failure half-way is logged, never retried into a second healer or manager. */
    private boolean loopsStarting;
    private final Scheduler scheduler;
    private final java.util.function.Supplier<Cluster> connector;
    /** Connected by the first start-up pass, off the path that starts serving (building the client takes seconds). */
    private volatile Cluster cluster;
    private ClusterFeatures features;
    private final Started started = new Started();
    private volatile Task starter;
    /** The start-up finished: the pool is open and its loops run. */
    private volatile boolean up;
    /** The node's conflist is written (or nobody asked for it): the node can turn Ready. */
    private volatile boolean conflistWritten;
    /** For introspection, once made by the start-up. */
    private volatile Introspection.Guard guardView;
    private volatile NodeConditions conditions;

    NodeServices(Settings settings, PodWiring wiring, OwnershipRegistry owned, Netlink host, MeterRegistry registry,
                 DaemonMetrics metrics, Scheduler scheduler, java.util.function.Supplier<Cluster> connector) {
        this.connector = connector;
        this.settings = settings;
        this.wiring = wiring;
        this.owned = owned;
        this.host = host;
        this.registry = registry;
        this.metrics = metrics;
        this.scheduler = scheduler;
        this.datastore = new Datastore(Clock.systemUTC(), settings.pool().ipCooldownPeriod(), settings.pool().prefixDelegation());
        this.pool = new PooledAllocator(datastore, new TimedCheckpointStore(new FileCheckpointStore(settings.checkpoint()), registry));
        this.awsApiMetrics = new AwsApiMetrics(registry);
        metrics.pool(datastore);
    }

    PooledAllocator pool() {
        return pool;
    }

    /** ANNOTATE_POD_IP's writer once the API server's client is made; no pod is served before that. */
    PodAnnotator podAnnotator() {
        var connected = cluster;
        return connected == null ? PodAnnotator.NONE : connected.pods();
    }

    /** What ADD replies tell the plugin about the node's SNAT: the settings at once, the VPC CIDRs once known. */
    NetworkFacts networkFacts() {
        return new NetworkFacts() {
            @Override
            public boolean useExternalSnat() {
                return settings.nat().externalSnat();
            }

            @Override
            public List<String> vpcV4Cidrs() {
                var network = hostNetwork;
                return network == null ? List.of() : network.vpcCidrs().stream().map(IpPrefix::toString).toList();
            }
        };
    }

    /** Starts bringing the pool up, as a task of the scheduler that retries until it succeeds. */
    void start() {
        starter = scheduler.loop("node-start", Duration.ZERO, this::tryBringUp);
    }

    private void wakeStarter() {
        var task = starter;
        if (task != null) {
            task.wake();
        }
    }

    private Next tryBringUp() {
        if (started.closed()) {
            return Next.whenWoken();
        }
        if (up) {  // once up, an API server that goes away later never closes the pool again
            return conflistWritten ? Next.whenWoken() : writeConflist();
        }
        if (cluster == null) {
            try {
                cluster = started.add(connector.get());  // never waits for the API server: its watches connect in the background
            } catch (RuntimeException e) {  // e.g. an unreadable kubeconfig: an operator must fix it; say so and retry
                pool.holdClosed("cannot make the API server's client (retrying every " + RETRY.toSeconds() + " s): " + e.getMessage());
                log.error("API server client: {}", e.getMessage());
                return Next.after(RETRY);
            }
            features = new ClusterFeatures(settings, cluster);
            // The Node or an ENIConfig arriving is what a waiting start-up waits for: look again then, not at the next poll.
            cluster.node().onChange(this::wakeStarter);
            cluster.eniConfigs().onChange(this::wakeStarter);
        }
        var waitingFor = features.notReady();
        if (waitingFor != null) {
            pool.holdClosed(waitingFor);
            log.info("{}", waitingFor);
            return Next.after(API_SERVER_RETRY);
        }
        var attempt = System.nanoTime();
        try (var inProgress = metrics.inProgressWhile("nodeInit")) {
            bringUp();
            up = true;
            metrics.nodeInitialized(Duration.ofNanos(System.nanoTime() - attempt), true);
            metrics.startedUp(sinceProcessStart(), true, settings.kube().configured(), "");
            return writeConflist();
        } catch (PoolException e) {
            metrics.nodeInitialized(Duration.ofNanos(System.nanoTime() - attempt), false);
            metrics.startedUp(sinceProcessStart(), false, settings.kube().configured(), "node_initialization");
            log.error("IP pool stays closed: {}", e.getMessage());
            cluster.events().warning("CheckpointUntrustworthy", "the IP pool stays closed and no pod gets an address: "
                    + e.getMessage());
            return Next.whenWoken();  // an unreadable checkpoint needs an operator, not a retry
        } catch (MetadataException | CloudException | RuntimeException e) {
            metrics.nodeInitialized(Duration.ofNanos(System.nanoTime() - attempt), false);
            pool.holdClosed("cannot discover this node yet (retrying every " + RETRY.toSeconds() + " s): " + e.getMessage());
            log.warn("node discovery: {}", e.getMessage());
            return Next.after(RETRY);
        }
    }

    /** The node turns Ready for pods once the conflist is there, so it is written only now, and retried until it is. */
    private Next writeConflist() {
        var writer = settings.conflist();
        if (writer.isEmpty()) {
            conflistWritten = true;
            return Next.whenWoken();
        }
        try {
            writer.get().write();
            conflistWritten = true;
            return Next.whenWoken();
        } catch (IOException | RuntimeException e) {
            log.error("cannot write {} (retrying every {} s); kubelet keeps the node NotReady until it is there: {}",
                    writer.get().file(), RETRY.toSeconds(), e.toString());
            return Next.after(RETRY);
        }
    }

    private static Duration sinceProcessStart() {
        return Duration.ofMillis(System.currentTimeMillis() - ProcessHandle.current().info().startInstant()
                .map(java.time.Instant::toEpochMilli).orElse(System.currentTimeMillis()));
    }

    /** Secondary ENIs found at start get their host side again: a restart must not leave them half-configured. */
    private static void rewireSecondaryEnis(NodeDiscovery.Node node, ImdsClient imds, NetlinkEniLinks links, KernelEniWiring wiring)
            throws MetadataException {
        for (var eni : node.enis()) {
            if (!eni.managed() || eni.info().primary()) {
                continue;
            }
            try {
                var link = links.awaitLink(eni.info().mac(), Duration.ofSeconds(10));
                wiring.setUp(eni.info(), link, eni.primaryIp(), IpPrefix.of(imds.subnetIpv4CidrBlock(eni.info().mac())));
            } catch (java.util.concurrent.TimeoutException | InterruptedException | RuntimeException e) {
                log.warn("{}: cannot configure its host side: {}", eni.info().eniId(), e.getMessage());
            }
        }
    }

    private void bringUp() throws MetadataException, CloudException {
        if (imds == null) {
            imds = started.add(new ImdsClient(settings.imdsEndpoint(),
                    Duration.ofSeconds(2), InstantSource.system()).observedBy(awsApiMetrics));
        }
        if (ec2 == null) {
            ec2 = started.add(new SdkEc2Api(settings.ec2(), List.of(awsApiMetrics)));
        }
        if (hostNetwork == null) {  // SNAT and sysctls before the first pod, as upstream's node init
            var network = HostNetwork.open(settings.nat(), settings.eniMtu(), settings.tcpEarlyDemuxOff(), imds, host,
                    new Sysctls(Path.of("/proc/sys")), ProcessIptables::new, Nft.PROCESS, registry);
            network.start(scheduler, HOST_NETWORK_INTERVAL);
            started.add(network);  // started first: one added after the stop began is closed at once
            hostNetwork = network;
        }
        var network = hostNetwork;
        if (node == null) {
            var discovered = NodeDiscovery.discover(imds, ec2, settings.env(), Clock.systemUTC());
            NodeDiscovery.load(datastore, discovered);
            placement = features.placement(discovered.identity(), imds, ec2);
            if (!placement.podsOnPrimaryEni()) {  // custom networking: the primary ENI's subnet is the node's, not the pods'
                discovered.enis().stream().filter(e -> e.info().primary()).forEach(e -> datastore.setExcluded(e.info().eniId(), true));
            }
            var report = pool.restore(wiring::adopt);
            if (!report.dropped().isEmpty()) {
                metrics.unrecoveredCheckpointEntries(report.dropped().size());
            }
            var eniMax = settings.pool().maxEni().orElse(discovered.limits().maxEnis());
            metrics.nodeLimits(Math.max(0, Math.min(eniMax, discovered.limits().maxEnis()) - (int) discovered.unmanaged()),
                    discovered.limits().ipv4PerEni(), settings.pool().prefixDelegation());
            // What dropped assignments and a killed predecessor's unfinished ADDs left: a stale rule 1536 would
            // send the next holder of its address out of the wrong ENI.
            wiring.removeStale(pool.allocations(null)).forEach(error -> log.warn("start-up sweep: {}", error));
            log.info("node {} ({}): {} ENI(s), {} unmanaged; restored {} pod address(es)", discovered.identity().instanceId(),
                    discovered.identity().instanceType(), discovered.enis().size(), discovered.unmanaged(), report.restored());
            node = discovered;
        }
        var node = this.node;
        if (loopsStarting) {
            return;
        }
        loopsStarting = true;
        var hostWiring = new KernelEniWiring(host, settings.eniMtu());
        var links = new NetlinkEniLinks(host);
        rewireSecondaryEnis(node, imds, links, hostWiring);
        var guard = startGuard(node, hostWiring, network);  // pods need the guard and the healer however the pool grows
        features.advertiseCustomNetworking();
        if (settings.pool().networkResourceProvisioningDisabled() || settings.imdsOnly()) {
            log.info("network resource provisioning is disabled: the pool keeps the ENIs and addresses it has");
            return;
        }
        startProvisioning(node, links, hostWiring, guard);
    }

    /**
     * What grows and shrinks the pool through EC2: the leaked-ENI sweep, the warm-pool manager, the node reconcile.
     * Not started when provisioning is disabled.
     */
    private void startProvisioning(NodeDiscovery.Node node, NetlinkEniLinks links, KernelEniWiring hostWiring, EniGuard guard)
            throws MetadataException {
        var collector = new LeakedEniCollector(ec2, new SweepScope(node.identity().instanceId(), imds.vpcId(imds.primaryMac()),
                node.identity().clusterName()), cluster.sweepLease(), registry, Clock.systemUTC());
        var reclaimed = collector.sweepAtStart();  // never throws: a failed sweep is left to the periodic one
        if (!reclaimed.isEmpty()) {
            log.warn("deleted {} ENI(s) a previous daemon created but never attached: {}", reclaimed.size(), reclaimed);
        }
        var lifecycle = new EniLifecycle(ec2, imds, datastore, node.identity(), links, hostWiring,
                Clock.systemUTC(), Backoff.standard(Backoff.Sleeper.REAL));
        lifecycle.admission(guard::admit);
        lifecycle.placement(placement);
        settings.unmanagedFiles().ifPresent(lifecycle::attachments);
        var conditions = NodeConditions.of(cluster.node(), InstanceLimitsTable.maxPods(node.limits()),
                settings.cluster().manageWhenUnschedulable());
        this.conditions = conditions;
        var manager = new PoolManager(new WarmPoolPolicy(settings.pool(), node.limits()), datastore, lifecycle, conditions,
                Clock.systemUTC(), cluster.events());
        manager.observer(metrics.poolActions());
        pool.onChange(manager::wake);  // a pod arriving or leaving is a reason to look at the pool now
        cluster.node().onChange(manager::wake);  // uncordoned, a new max pods or ENIConfig label: look now
        cluster.eniConfigs().onChange(manager::wake);
        manager.start(scheduler, RECONCILE_INTERVAL);
        started.add(manager);
        // ENIs and addresses changed behind the daemon's back: IMDS each minute, EC2 only when IMDS differs.
        var reconciler = new NodeReconciler(datastore, imds, ec2, node.identity().instanceId(),
                NewEniHandler.wiring(links, hostWiring, guard::admit,
                        settings.unmanagedFiles().<EniAttachmentListener>map(f -> f).orElse(EniAttachmentListener.NONE),
                        Duration.ofSeconds(10)),
                cluster.events(), registry, Clock.systemUTC());
        reconciler.onChange(manager::wake);
        reconciler.start(scheduler, NodeReconciler.DEFAULT_INTERVAL);
        started.add(reconciler);
        if (settings.leakedEniCleanupOff()) {
            log.info("leaked-ENI cleanup is disabled (DISABLE_LEAKED_ENI_CLEANUP=true)");
        } else {
            collector.start(scheduler, new java.util.Random());
            started.add(collector);
        }
    }

    /**
     * The guard against other network managers: the healer for what the daemon owns on the host, the
     * ownership check on every change the watches report, and the optional remediation for the ENIs there are.
     * The caller makes it the admission check of every new ENI.
     */
    private EniGuard startGuard(NodeDiscovery.Node node, KernelEniWiring hostWiring, HostNetwork network) {
        owned.addHostSource(() -> new OwnedState(hostWiring.ownedRules(), hostWiring.ownedRoutes(), hostWiring.ownedAddresses()));
        owned.addHostSource(() -> OwnedState.ofRules(network.ownedRules()));
        var healer = new StateHealer(host, owned, Duration.ofSeconds(30));
        var ownershipWatch = new java.util.concurrent.atomic.AtomicReference<OwnershipWatch>();
        healer.start(scheduler, event -> {  // an ENI's link appearing, renamed or changed: decide again at once
            var watch = ownershipWatch.get();
            if (watch != null && event instanceof NetlinkMonitor.Event.LinkChanged changed && datastore.usage().stream()
                    .anyMatch(u -> u.info().mac().equalsIgnoreCase(changed.link().mac()))) {
                watch.recheckNow();
            }
        });
        started.add(healer);
        metrics.healer(healer);
        var ownershipPaths = settings.ownership();
        var guard = new EniGuard(new LinkOwnership(ownershipPaths), host, datastore, cluster.events());
        settings.unmanagedFiles().ifPresent(files -> files.sync(node.enis().stream().filter(e -> e.managed() && !e.info().primary())
                .collect(java.util.stream.Collectors.toMap(e -> e.info().eniId(), e -> e.info().mac()))));
        guard.recheck();
        metrics.guard(guard);
        guardView = new Introspection.Guard(guard, healer, () -> primaryIps(hostWiring));
        ownershipWatch.set(started.add(new OwnershipWatch(scheduler, ownershipPaths, guard::recheck, GUARD_FALLBACK_INTERVAL)));
        return guard;
    }

    /** Each ENI link's primary address: as the daemon configured it on secondary ENIs, else the kernel's first. */
    private Map<Integer, String> primaryIps(KernelEniWiring hostWiring) {
        var out = new HashMap<Integer, String>();
        hostWiring.ownedAddresses().forEach(a -> out.putIfAbsent(a.linkIndex(), a.prefix().address().getHostAddress()));
        host.addresses().forEach(a -> out.putIfAbsent(a.linkIndex(), a.prefix().address().getHostAddress()));
        return out;
    }

    /** What introspection reads of the node's services; each part empty (or 0) until the start-up has made it. */
    Optional<Introspection.Guard> guardView() {
        return Optional.ofNullable(guardView);
    }

    int maxPods() {
        var c = conditions;
        if (c != null) {
            return c.maxPods();
        }
        var discovered = node;
        return discovered == null ? 0 : InstanceLimitsTable.maxPods(discovered.limits());
    }

    /** The node's ENIConfig name under custom networking, as the pool would choose it now. */
    Optional<String> eniConfigName() {
        var connected = cluster;
        if (!settings.cluster().customNetworking() || connected == null) {
            return Optional.empty();
        }
        return connected.node().current().map(n -> settings.cluster().eniConfigName().choose(n).name());
    }

    /**
     * Stops every loop, watch and client the node started, newest first, and the start-up retries. The scheduler
     * itself belongs to the caller, which closes it after this.
     */
    @Override
    public void close() {
        started.close();
        var task = starter;
        if (task != null) {
            task.cancel();
        }
    }
}
