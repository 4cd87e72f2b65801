package io.vpccni.ipamd.k8s;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vpccni.ipamd.schedule.VirtualThreadScheduler;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What one node's daemon asks of the API server, counted at Fabric8's mock server: at start (every feature on:
 * Node and ENIConfig watches, CNINode, events, the lease), in an idle minute, per hourly lease claim, and for a burst
 * of 100 identical warnings. A measurement, not a test; BENCHMARKS.md has the command.
 */
public final class ApiCallsBench {
    private ApiCallsBench() {
    }

    public static void main(String[] args) throws Exception {
        var idle = Duration.ofSeconds(args.length > 0 ? Integer.parseInt(args[0]) : 60);
        try (var api = new MockApiServer(); var scheduler = new VirtualThreadScheduler()) {
            api.admin.nodes().resource(new NodeBuilder().withNewMetadata().withName("ip-10-0-0-1")
                    .withLabels(Map.of("topology.kubernetes.io/zone", "us-west-2a")).endMetadata()
                    .withNewStatus().addToCapacity("pods", new Quantity("110")).endStatus().build()).create();
            api.admin.pods().inNamespace("kube-system").resource(new PodBuilder().withNewMetadata().withName("aws-node-x7k2p")
                    .withNamespace("kube-system").endMetadata().build()).create();
            api.admin.resource(EniConfigWatchTest.eniConfig("us-west-2a", Map.of("subnet", "subnet-pods"))).create();
            drain(api);
            var settings = new KubeSettings(Optional.of(api.writeKubeconfig(Files.createTempDirectory("api-bench"))),
                    Optional.empty(), false, Optional.of("ip-10-0-0-1"), Optional.of("aws-node-x7k2p"), "kube-system");
            var registry = new SimpleMeterRegistry();
            try (var cluster = KubeCluster.connect(settings, KubeCluster.Features.of(true), registry, scheduler,
                    Clock.systemUTC())) {
                await(() -> cluster.node().current().isPresent() && cluster.eniConfigs().synced() && cluster.apiServer().reachable());
                cluster.cniNode().advertise("CustomNetworking", "us-west-2a");
                Thread.sleep(2000);  // the CNINode write runs in the background
                report("start (list+watch Node and ENIConfigs, /version, CNINode)", drain(api));

                Thread.sleep(idle.toMillis());
                report("idle " + idle.toSeconds() + " s", drain(api));

                cluster.sweepLease().claim(Duration.ofMinutes(70));
                report("one hourly lease claim (first: create)", drain(api));
                cluster.sweepLease().claim(Duration.ofMinutes(70));
                report("one hourly lease claim (renewal)", drain(api));

                annotate(api, cluster, registry, 20, "first");
                annotate(api, cluster, registry, 20, "next");

                for (var i = 0; i < 100; i++) {
                    cluster.events().warning("SubnetFull", "no new ENI or address for this node: subnet-0abc is full");
                }
                Thread.sleep(2000);
                report("100 identical Warning events", drain(api));
            }
        }
    }

    /** ANNOTATE_POD_IP for {@code pods} new pods, one after another as ADDs come: requests, and the time to each write. */
    private static void annotate(MockApiServer api, io.vpccni.ipamd.k8s.Cluster cluster, SimpleMeterRegistry registry, int pods,
                                 String batch) throws InterruptedException {
        var before = registry.get("awscni_pod_ip_annotation").timer().takeSnapshot();
        var names = new java.util.ArrayList<String>();
        for (var i = 0; i < pods; i++) {
            var name = batch + "-" + i;
            names.add(name);
            api.admin.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName(name).endMetadata().build())
                    .create();
        }
        drain(api);
        for (var name : names) {
            cluster.pods().podIps("default", name, java.util.List.of("10.0.1." + (10 + names.indexOf(name))));
        }
        await(() -> names.stream().allMatch(n -> {
            var pod = api.admin.pods().inNamespace("default").withName(n).get();
            return pod.getMetadata().getAnnotations() != null && pod.getMetadata().getAnnotations().containsKey(PodIpAnnotations.ANNOTATION);
        }));
        var timer = registry.get("awscni_pod_ip_annotation").timer();
        var count = timer.count() - before.count();
        var mean = (timer.totalTime(TimeUnit.MILLISECONDS) - before.total(TimeUnit.MILLISECONDS)) / count;
        var requests = drain(api);
        requests.remove("GET /api/v1/namespaces/*/pods/*");  // the bench's own reads
        report(String.format("ANNOTATE_POD_IP, %d %s pods queued at once: mean %.1f ms to the write", count, batch, mean), requests);
    }

    private static Map<String, Integer> drain(MockApiServer api) throws InterruptedException {
        var counts = new TreeMap<String, Integer>();
        while (true) {
            var request = api.server.takeRequest(200, TimeUnit.MILLISECONDS);
            if (request == null) {
                return counts;
            }
            var path = request.getPath().replaceAll("\\?.*", "").replaceAll("/namespaces/[^/]+", "/namespaces/*")
                    .replaceAll("/(pods|events)/[^/]+$", "/$1/*");
            counts.merge(request.getMethod() + " " + path + (request.getPath().contains("watch=true") ? " (watch)" : ""), 1,
                    Integer::sum);
        }
    }

    private static void report(String what, Map<String, Integer> counts) {
        System.out.printf("%-60s %3d request(s)%n", what, counts.values().stream().mapToInt(Integer::intValue).sum());
        counts.forEach((k, v) -> System.out.printf("    %3d  %s%n", v, k));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        var deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the watches did not sync within 30 s");
            }
            Thread.sleep(20);
        }
    }

}
