package io.vpccni.test.chart;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chart's RBAC is exactly what the daemon uses: every request its API-server code makes (recorded against the
 * mock API server, {@link DaemonApiCalls}) is allowed by the rendered ClusterRole and Role, and every verb those
 * grant is used by some request.
 */
class ChartRbacTest {
    /** Granted to every authenticated user by the cluster's default system:public-info-viewer binding. */
    private static final List<String> PUBLIC_PATHS = List.of("/version");

    private static List<ApiRequest> requests;
    private static RenderedChart annotating;

    @BeforeAll
    static void record(@TempDir Path dir) throws Exception {
        annotating = HelmChart.render(ChartValues.defaults()
                .with("env.ANNOTATE_POD_IP", "true").with("env.AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG", "true")
                .with("eniConfig.create", true).with("eniConfig.subnets", Map.of("a", Map.of("id", "subnet-0aa"))));
        requests = DaemonApiCalls.recordAll(dir, annotating.generic("ENIConfig"), "us-west-2a");
        // The evidence, in the test's report: what the daemon asked of the API server.
        System.out.println("the daemon's API requests (distinct):" + list(requests.stream().map(Object::toString).distinct().sorted().toList()));
    }

    private static String list(List<?> items) {
        return items.stream().map(Object::toString).collect(Collectors.joining("\n  ", "\n  ", ""));
    }

    private static List<ApiRequest> resourceRequests() {
        return requests.stream().filter(r -> !r.nonResource()).toList();
    }

    @Test
    void theDaemonWasSeenUsingEveryFeature() {
        var seen = requests.stream().map(r -> r.verb() + " " + r.resource()).collect(Collectors.toSet());
        for (var expected : List.of("list nodes", "watch nodes", "get nodes", "list eniconfigs", "watch eniconfigs",
                "get pods", "patch pods", "create events", "patch events", "get cninodes", "create cninodes",
                "update cninodes", "get leases", "create leases", "update leases")) {
            assertTrue(seen.contains(expected), expected + " was not made, so the check below would prove nothing of it:"
                    + list(requests));
        }
    }

    @Test
    void everyRequestTheDaemonMakesIsAllowed() {
        var rules = RbacRules.of(annotating);
        assertEquals(List.of(), rules.denied(resourceRequests()), "requests the chart's RBAC denies:" + list(rules.denied(resourceRequests())));
        var nonResource = requests.stream().filter(ApiRequest::nonResource).map(ApiRequest::path).distinct().toList();
        assertTrue(PUBLIC_PATHS.containsAll(nonResource), "non-resource URLs beyond what every user may read: " + nonResource);
    }

    @Test
    void everyVerbTheChartGrantsIsUsed() {
        var unused = RbacRules.of(annotating).unusedBy(resourceRequests());
        assertEquals(List.of(), unused, "grants the daemon never used:" + list(unused));
    }

    @Test
    void withoutAnnotatePodIpOnlyThePodsPatchIsMissing() {
        // Main registers the annotator only with ANNOTATE_POD_IP=true, so a daemon without it never patches pods.
        var defaults = RbacRules.of(HelmChart.render(ChartValues.defaults()));
        var denied = defaults.denied(resourceRequests());
        assertFalse(denied.isEmpty());
        assertTrue(denied.stream().allMatch(r -> r.verb().equals("patch") && r.resource().equals("pods")),
                "only patch pods is denied by default:" + list(denied));
        assertEquals(List.of(), defaults.unusedBy(resourceRequests()));
    }

    @Test
    void theLeaseRulesAreLimitedToTheSweepersLeaseInTheReleaseNamespace() {
        var rules = RbacRules.of(annotating);
        assertFalse(rules.allows(ApiRequest.of("PUT", "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler")));
        assertFalse(rules.allows(ApiRequest.of("GET", "/apis/coordination.k8s.io/v1/namespaces/default/leases/aws-node-leaked-eni-sweeper")));
        assertTrue(rules.allows(ApiRequest.of("PUT", "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/aws-node-leaked-eni-sweeper")));
        assertFalse(rules.allows(ApiRequest.of("DELETE", "/api/v1/nodes/" + DaemonApiCalls.NODE)), "no delete anywhere");
    }
}
