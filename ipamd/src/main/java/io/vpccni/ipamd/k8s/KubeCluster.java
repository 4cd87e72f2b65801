package io.vpccni.ipamd.k8s;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.micrometer.core.instrument.MeterRegistry;
import io.vpccni.ipamd.schedule.Next;
import io.vpccni.ipamd.schedule.Scheduler;
import io.vpccni.ipamd.schedule.Step;
import io.vpccni.ipamd.schedule.VirtualThreadScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Fabric8 implementation of {@link Cluster}. Connecting never waits for the API server: the watches start and
 * retry in the background (Fabric8's informers), the writers queue and retry on the daemon's scheduler, and
 * {@link Cluster#apiServer()} says meanwhile whether the server answers and, when not, what failed. What the
 * daemon cannot do without the server (custom networking without its ENIConfig, for one) is decided by its callers
 * from that state, not here.
 */
public final class KubeCluster {
    private static final Logger log = LoggerFactory.getLogger(KubeCluster.class);

    /**
     * Which optional parts to start.
     *
     * @param eniConfigs watch the cluster's ENIConfigs: only with custom networking, since the CRD may not exist
     *                   elsewhere and a watch on a missing resource would report the API server as failing
     */
    public record Features(boolean eniConfigs) {
        public static Features of(boolean customNetworking) {
            return new Features(customNetworking);
        }
    }

    private KubeCluster() {
    }

    /** With a scheduler of its own, closed with the cluster (for tools and tests that run in real time). */
    public static Cluster connect(KubeSettings settings, Features features, MeterRegistry registry) {
        var scheduler = new VirtualThreadScheduler();
        try {
            var cluster = connect(settings, features, registry, scheduler, Clock.systemUTC());
            return new Cluster(cluster.node(), cluster.eniConfigs(), cluster.events(), cluster.pods(), cluster.cniNode(),
                    cluster.sweepLease(), cluster.apiServer(), () -> {
                        try (scheduler) {
                            cluster.close();
                        }
                    });
        } catch (RuntimeException e) {
            scheduler.close();
            throw e;
        }
    }

    /**
     * Connects as {@link KubeSettings} say: service account, {@code KUBECONFIG}, {@code CLUSTER_ENDPOINT};
     * {@link Cluster#none()} when they name no API server at all.
     */
    public static Cluster connect(KubeSettings settings, Features features, MeterRegistry registry, Scheduler scheduler,
                                  Clock clock) {
        if (!settings.configured()) {
            log.info("no API server is configured (not in a pod, no KUBECONFIG, no CLUSTER_ENDPOINT): running without one");
            return Cluster.none();
        }
        return connect(KubeClientConfig.from(settings), settings, features, registry, scheduler, clock);
    }

    /**
     * Connects with {@code config} (a test passes its mock server's), tuned with the daemon's timeouts and user
     * agent. Closing the returned {@link Cluster} stops the watches and the writers and closes the client; the
     * scheduler stays the caller's.
     */
    public static Cluster connect(Config config, KubeSettings settings, Features features, MeterRegistry registry,
                                  Scheduler scheduler, Clock clock) {
        var client = new KubernetesClientBuilder().withConfig(KubeClientConfig.tune(config))
                .withHttpClientFactory(new JdkHttpClientFactory()).build();
        return over(client, settings, features, registry, scheduler, clock, RetryDelay.STANDARD);
    }

    static Cluster over(KubernetesClient client, KubeSettings settings, Features features, MeterRegistry registry,
                        Scheduler scheduler, Clock clock, RetryDelay retryDelay) {
        var server = client.getConfiguration().getMasterUrl();
        var health = new ApiServerHealth(server, clock);
        var closing = new ArrayList<AutoCloseable>();
        closing.add(client);  // first in, so closed last: after every watch and writer that uses it
        try {
            var probe = scheduler.loop("k8s-api-probe", Duration.ZERO, probeStep(client, health, retryDelay));
            health.onFailure(probe::wake);
            closing.add(probe::cancel);

            NodeView node = NodeView.NONE;
            CniNodeFeatures cniNode = CniNodeFeatures.NONE;
            SweepLease lease = SweepLease.NONE;
            if (settings.nodeName().isPresent()) {
                var nodeName = settings.nodeName().get();
                var watch = NodeWatch.start(client, nodeName, health);
                closing.add(watch);
                node = watch;
                var patcher = new CniNodePatcher(client, nodeName, health, scheduler, retryDelay);
                closing.add(patcher);
                cniNode = patcher;
                lease = new LeaseSweepLease(client, settings.podNamespace(), nodeName, health, clock);
            } else {
                log.warn("MY_NODE_NAME is not set: no Node watch (max pods and the cordon come from the instance type "
                        + "alone), no CNINode features, no sweep lease; set it from spec.nodeName as the chart does");
            }
            EniConfigs eniConfigs = EniConfigs.NONE;
            if (features.eniConfigs()) {
                var watch = EniConfigWatch.start(client, health);
                closing.add(watch);
                eniConfigs = watch;
            }
            ClusterEvents events = ClusterEvents.LOG;
            var subject = EventSubject.of(settings);
            if (subject.isPresent()) {
                var kubeEvents = new KubeEvents(client, subject.get(), settings.nodeName().orElse(""), health, scheduler,
                        clock, registry);
                closing.add(kubeEvents);
                events = kubeEvents;
            }
            var pods = new PodIpAnnotations(client, health, scheduler, clock, retryDelay, registry);
            closing.add(pods);
            log.info("API server {}: watching {}{}, events on {}", server,
                    settings.nodeName().map(n -> "Node " + n).orElse("no Node"), features.eniConfigs() ? " and ENIConfigs" : "",
                    subject.map(Object::toString).orElse("nothing (logged only)"));
            return new Cluster(node, eniConfigs, events, pods, cniNode, lease, health, () -> closeAll(closing));
        } catch (RuntimeException e) {
            closeAll(closing);
            throw e;
        }
    }

    /**
     * Asks the server for its version when nothing else tells whether it answers: right after connecting, and after
     * a request failed (until an answer clears the failure).
     */
    private static Step probeStep(KubernetesClient client, ApiServerHealth health,
                                                            RetryDelay retryDelay) {
        var failures = new int[1];
        return () -> {
            try {
                client.getKubernetesVersion();
                health.answered("GET /version");
                failures[0] = 0;
                return Next.whenWoken();
            } catch (RuntimeException e) {
                if (!health.failed("GET /version", e)) {
                    failures[0] = 0;
                    return Next.whenWoken();
                }
                return Next.notBefore(retryDelay.after(++failures[0]));
            }
        };
    }

    /** In reverse order of starting: writers stop before the client they use is closed. */
    private static void closeAll(List<AutoCloseable> closing) {
        for (var i = closing.size() - 1; i >= 0; i--) {
            try {
                closing.get(i).close();
            } catch (Exception e) {
                log.warn("closing the API server connection: {} failed to stop", closing.get(i), e);
            }
        }
    }
}
