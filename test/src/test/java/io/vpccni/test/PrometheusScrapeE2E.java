package io.vpccni.test;

import io.vpccni.ipamd.testing.Ip;
import io.vpccni.test.node.NodeUnderTest;
import io.vpccni.test.node.SimulatedNode;
import io.vpccni.test.prometheus.LocalPrometheus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real Prometheus scraping the real daemon on a simulated node, while a hostile client holds a half-sent request
 * open on the metrics port: PromQL returns what the scenario implies (the pods' addresses, an EC2 error injected into
 * the first CreateNetworkInterface, a pod rule someone deleted and the healer put back), under upstream's names; and
 * {@code promtool check metrics} finds nothing wrong with the exposition but the lint of upstream's own names.
 */
@EnabledIfSystemProperty(named = "vpccni.netns", matches = "private", disabledReason = "needs root and test/bin/java-in-netns")
class PrometheusScrapeE2E {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final int PODS = 12;

    @TempDir
    Path dir;

    @Test
    void prometheusSeesAddressesAnEc2ErrorAndAHeal() throws Exception {
        try (var node = new NodeUnderTest("prom", "m5.large", dir)) {
            node.cloud.ec2.endpoint(SimulatedNode.ACCESS_KEY).faults().failNext("CreateNetworkInterface", "InvalidParameterValue", 1);
            node.start(Map.of());
            try (var hostile = halfARequest(node); var prometheus = LocalPrometheus.start(dir, "127.0.0.1:61678")) {
                var pods = new ArrayList<String>();
                for (var i = 0; i < PODS; i++) {
                    pods.add(node.addUntilServed("pod-" + i, DEADLINE));
                }
                // A pod on the secondary ENI loses its rule 1536, as a networkd restart does it: the healer puts it back.
                var onSecondary = pods.stream().filter(ip -> !node.eniHolding(ip).orElseThrow().id().equals(node.primaryEni().id()))
                        .findFirst().orElseThrow();
                var table = node.eniHolding(onSecondary).orElseThrow().attachment().orElseThrow().deviceIndex() + 1;
                Ip.run("rule", "del", "from", onSecondary + "/32", "lookup", String.valueOf(table), "priority", "1536");

                awaitValue(node, prometheus, "awscni_assigned_ip_addresses", PODS);
                awaitValue(node, prometheus, "awscni_add_ip_req_count", PODS, true);
                awaitValue(node, prometheus, "sum(awscni_assigned_ip_per_eni)", PODS);
                awaitValue(node, prometheus, "awscni_aws_api_error_count{api=\"CreateNetworkInterface\",error=\"InvalidParameterValue\"}", 1);
                awaitValue(node, prometheus, "awscni_ipamd_error_count{fn=\"increaseIPPoolAllocENI\"}", 1);
                awaitValue(node, prometheus, "awscni_restored_total{kind=\"rule\"}", 1, true);
                assertTrue(Ip.run("rule", "show").contains("from " + onSecondary + " lookup " + table), "the rule is back");
                awaitValue(node, prometheus, "awscni_eni_max", 3);
                awaitValue(node, prometheus, "awscni_ip_max", 27);
                awaitValue(node, prometheus, "awscni_ipamd_startup_duration_seconds_count{success=\"true\"}", 1);
                var created = prometheus.query("awscni_ec2api_req_count{fn=\"CreateNetworkInterface\"}");
                assertEquals(Optional.of((double) node.ec2Calls().calls("CreateNetworkInterface")),
                        created.values().stream().findFirst(), "EC2's own count of the calls: " + created);
                var latency = prometheus.value("sum(awscni_aws_api_latency_ms_count{api=\"DescribeNetworkInterfaces\",error=\"false\",status=\"200\"})");
                assertTrue(latency.orElse(0.0) >= 1, "latency observed per call: " + latency);
                assertTrue(prometheus.value("sum(awscni_cni_request_seconds_count{verb=\"ADD\",outcome=\"ok\"})").orElse(0.0) >= PODS);
                assertEquals(Optional.of(1.0), prometheus.value("up{job=\"aws-node\"}"), "every scrape worked despite the hostile client");

                var lint = promtool(NodeUnderTest.metricsOrError());
                assertNotEquals(1, lint.exit(), "the exposition parses: " + lint.output());
                var unexpected = lint.output().lines().filter(problem -> !(problem.startsWith("awscni_")
                        && UPSTREAM_LINT.stream().anyMatch(problem::contains)
                        && UPSTREAM_NAMES.stream().anyMatch(n -> problem.startsWith(n + " ") || problem.startsWith(n + "_max ")))).toList();
                assertEquals(java.util.List.of(), unexpected, "promtool finds fault only with upstream's names, kept for its users");
            }
        }
    }

    /**
     * What promtool's lint says of upstream's names (a counter without _total, a _count that is not a count, "ms"),
     * which upstream's own daemon gets too; Micrometer's {@code _max} beside the latency summary shares its name.
     */
    private static final java.util.List<String> UPSTREAM_LINT = java.util.List.of("should have \"_total\" suffix",
            "should not have \"_count\" suffix", "should not contain abbreviated units");
    private static final java.util.List<String> UPSTREAM_NAMES = java.util.List.of("awscni_ipamd_error_count",
            "awscni_reconcile_count", "awscni_add_ip_req_count", "awscni_del_ip_req_count", "awscni_aws_api_error_count",
            "awscni_aws_utils_error_count", "awscni_ec2api_req_count", "awscni_ec2api_error_count", "awscni_force_removed_enis",
            "awscni_force_removed_ips", "awscni_no_available_ip_addresses", "awscni_aws_api_latency_ms",
            "awscni_unrecovered_checkpoint_entries", "awscni_pod_eni_error_count");

    /** A client that opens the metrics port and sends half a request: the server closes it, nobody waits for it. */
    private static Socket halfARequest(NodeUnderTest node) throws Exception {
        node.await(DEADLINE, "the metrics port", () -> NodeUnderTest.metricsOrError().contains("awscni_build_info"),
                NodeUnderTest::metricsOrError);
        var socket = new Socket("127.0.0.1", 61678);
        socket.getOutputStream().write("GET /metr".getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    private static void awaitValue(NodeUnderTest node, LocalPrometheus prometheus, String promql, double expected) throws InterruptedException {
        awaitValue(node, prometheus, promql, expected, false);
    }

    /** Waits until the query yields {@code expected} (or at least it, for a counter that may count more). */
    private static void awaitValue(NodeUnderTest node, LocalPrometheus prometheus, String promql, double expected, boolean atLeast)
            throws InterruptedException {
        node.await(DEADLINE, "Prometheus: " + promql + (atLeast ? " >= " : " == ") + expected, () -> prometheus.value(promql)
                        .map(v -> atLeast ? v >= expected : v == expected).orElse(false),
                () -> "it says " + prometheus.value(promql) + (prometheus.running() ? "" : "; prometheus exited: " + prometheus.log()));
    }

    private record Lint(int exit, String output) {
    }

    private static Lint promtool(String exposition) throws Exception {
        var process = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        try (var in = process.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        return new Lint(process.exitValue(), output);
    }
}
