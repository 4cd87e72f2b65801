package io.vpccni.ipamd;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vpccni.ipamd.doctor.DoctorCommand;
import io.vpccni.ipamd.install.InstallCommand;
import io.vpccni.ipamd.k8s.KubeCluster;
import io.vpccni.ipamd.net.NetNs;
import io.vpccni.ipamd.observe.DaemonLogging;
import io.vpccni.ipamd.observe.DaemonMetrics;
import io.vpccni.ipamd.observe.HealthChecks;
import io.vpccni.ipamd.observe.HttpEndpointServer;
import io.vpccni.ipamd.observe.Introspection;
import io.vpccni.ipamd.observe.MetricsServer;
import io.vpccni.ipamd.owned.OwnershipRegistry;
import io.vpccni.ipamd.net.RtNetlink;
import io.vpccni.ipamd.pod.KernelPodWiring;
import io.vpccni.ipamd.pod.LinkReaper;
import io.vpccni.ipamd.pod.PodNetworks;
import io.vpccni.ipamd.pool.PoolStatus;
import io.vpccni.ipamd.rpc.CallMetrics;
import io.vpccni.ipamd.rpc.ClientVersions;
import io.vpccni.ipamd.rpc.RpcServer;
import io.vpccni.ipamd.schedule.VirtualThreadScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.function.Supplier;

/** aws-k8s-agent: reads its environment, starts the node's services, and serves until it is stopped. */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0 && args[0].equals(DoctorCommand.NAME)) {  // a diagnosis, not the daemon
            DoctorCommand.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals(InstallCommand.NAME)) {  // the init container
            InstallCommand.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        var version = DaemonVersion.load();
        Settings settings;
        try {
            DaemonLogging.configure(System.getenv());  // first: every later line goes where AWS_VPC_K8S_CNI_LOG_FILE says
            settings = Settings.read(System.getenv(), version.version());  // every variable, before serving
        } catch (IllegalArgumentException e) {
            log.error("invalid configuration: {}", e.getMessage());
            // Also where `kubectl logs` looks: the log file may be on the host only, and the pod is about to crash-loop.
            System.err.println("aws-k8s-agent: invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        var config = settings.daemon();
        var host = RtNetlink.open();
        var owned = new OwnershipRegistry();
        var reaper = new LinkReaper(RtNetlink.open());
        var wiring = new KernelPodWiring(host, NetNs.current(), RtNetlink::openIn, reaper, config.vethPrefix(), owned);
        // Serve at once; the pool opens when the node is discovered and the checkpoint restored. Until then
        // ADD answers "try again later" and STATUS says why, while DEL and GC already work.
        var registry = MetricsServer.newRegistry();
        var metricsServer = startMetrics(registry, config.metricsPort());
        var metrics = new DaemonMetrics(registry, metricsServer);
        metrics.buildInfo(registry, version.version());
        var scheduler = new VirtualThreadScheduler();  // every background loop of the daemon runs on it
        // The API server's client is made by the node's first start-up pass: serving does not wait for it.
        var node = new NodeServices(settings, wiring, owned, host, registry, metrics, scheduler, () -> KubeCluster.connect(
                settings.kube(), KubeCluster.Features.of(settings.cluster().customNetworking()), registry, scheduler,
                java.time.Clock.systemUTC()));
        var allocator = node.pool();
        node.start();  // discovery (IMDS, EC2, SDK start-up) runs alongside the RPC server's start
        var pods = new PodNetworks(allocator, wiring);
        var introspection = startIntrospection(config.introspection() == null ? null : new Introspection(new Introspection.Sources(
                allocator.datastore(), allocator::status, node::maxPods, pods::inspect, node::guardView, node::eniConfigName,
                SettingsDocuments.ipamd(settings), SettingsDocuments.networkUtils(settings))), allocator::status, config.health());
        RpcServer server;
        try {
            if (settings.cluster().annotatePodIp()) {  // asynchronous: ADD never waits for the API server
                pods.onAdded(a -> node.podAnnotator().podIps(a.pod().namespace(), a.pod().name(), java.util.List.of(a.ipv4Text())));
            }
            server = RpcServer.start(config.socketPath(), pods, allocator,
                    new ClientVersions(version.protocol()), node.networkFacts(), new CallMetrics(registry));
        } catch (IOException e) {
            log.error("cannot serve on {}: {}", config.socketPath(), e.getMessage());
            System.exit(1);
            return;
        }
        // SIGTERM (every upgrade): stop taking calls and let those in flight finish (each is durable before it
        // answers), then stop the loops and close the clients, so nothing is cut off half-way.
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            try {
                server.close();
            } catch (IOException e) {
                log.warn("shutdown: {}", e.getMessage());
            }
            node.close();
            scheduler.close();
            if (metricsServer != null) {
                metricsServer.close();
            }
            if (introspection != null) {
                introspection.close();
            }
            reaper.close();
            log.info("aws-k8s-agent stopped");
        }));
        server.awaitTermination();
    }

    /**
     * Introspection serves people and tools, and the health checks kubelet's probes: an address in use is logged,
     * not fatal (pods are served over the socket). With DISABLE_INTROSPECTION only the health checks are served.
     */
    private static HttpEndpointServer startIntrospection(Introspection introspection, Supplier<PoolStatus> pool,
                                                         SocketAddress address) {
        var routes = new LinkedHashMap<>(HealthChecks.routes(pool));
        if (introspection == null) {
            log.info("introspection is disabled (DISABLE_INTROSPECTION=true): only {} and {} on {}", HealthChecks.LIVENESS,
                    HealthChecks.READINESS, address);
        } else {
            routes.putAll(introspection.routes());
        }
        try {
            var server = HttpEndpointServer.start("introspection", routes, address, HttpEndpointServer.Limits.DEFAULT);
            log.info("introspection on {}", address);
            return server;
        } catch (IOException e) {
            log.error("introspection: cannot serve on {}: {}", address, e.getMessage());
            return null;
        }
    }

    /** Metrics are for watching the daemon, not for serving pods: a port in use is logged, not fatal. */
    private static MetricsServer startMetrics(PrometheusMeterRegistry registry, int port) {
        if (port == 0) {
            log.info("metrics are disabled (DISABLE_METRICS=true)");
            return null;
        }
        try {
            return MetricsServer.start(registry, new InetSocketAddress(port));
        } catch (IOException e) {
            log.error("metrics: cannot serve on port {}: {}", port, e.getMessage());
            return null;
        }
    }
}
