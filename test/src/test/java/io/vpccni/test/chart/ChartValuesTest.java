package io.vpccni.test.chart;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static io.vpccni.test.chart.PodTemplateParts.container;
import static io.vpccni.test.chart.PodTemplateParts.env;
import static io.vpccni.test.chart.PodTemplateParts.initContainer;
import static io.vpccni.test.chart.PodTemplateParts.mount;
import static io.vpccni.test.chart.PodTemplateParts.volume;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The value combinations that change what the chart renders, each against the objects it must produce. */
class ChartValuesTest {

    private static RenderedChart render(ChartValues values) {
        return HelmChart.render(values);
    }

    private static List<String> podVerbs(RenderedChart chart) {
        return chart.clusterRole().getRules().stream()
                .filter(r -> r.getApiGroups().equals(List.of("")) && r.getResources().equals(List.of("pods")))
                .map(PolicyRule::getVerbs).findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "ANNOTATE_POD_IP={0} grants {1} on pods")
    @CsvSource(delimiter = ';', value = {"true; get,patch", "True; get,patch", "1; get,patch", "T; get,patch",
            "false; get", "False; get", "0; get", "'' ; get"})
    void thePodsPatchVerbFollowsAnnotatePodIp(String value, String verbs) {
        // Every spelling the daemon takes for true (Env.bool, as Go's ParseBool): a daemon that annotates
        // without the verb would only log 403s.
        assertEquals(List.of(verbs.split(",")), podVerbs(render(ChartValues.defaults().with("env.ANNOTATE_POD_IP", value))));
    }

    @Test
    void anUnquotedBooleanTrueGrantsPatchToo() {
        var chart = render(ChartValues.defaults().with("env.ANNOTATE_POD_IP", true));
        assertEquals(List.of("get", "patch"), podVerbs(chart));
        assertEquals("true", env(container(chart.daemonSet(), "aws-node")).get("ANNOTATE_POD_IP"));
    }

    @Test
    void watchNetworkManagerMountsItsStateReadOnly() {
        var on = render(ChartValues.defaults().with("watchNetworkManager", true)).daemonSet();
        var m = mount(container(on, "aws-node"), "/host/run/NetworkManager");
        assertTrue(m.getReadOnly());
        assertEquals("HostToContainer", m.getMountPropagation());
        assertEquals("/run/NetworkManager", volume(on, m.getName()).getHostPath().getPath());
        assertEquals("Directory", volume(on, m.getName()).getHostPath().getType());

        var off = render(ChartValues.defaults().with("watchNetworkManager", false)).daemonSet();
        assertTrue(container(off, "aws-node").getVolumeMounts().stream().noneMatch(v -> v.getMountPath().contains("NetworkManager")));
        assertTrue(off.getSpec().getTemplate().getSpec().getVolumes().stream().noneMatch(v -> v.getName().equals(m.getName())));
    }

    @Test
    void writeUnmanagedNetworkFilesMakesTheNetworkDirectoryWritable() {
        var ds = render(ChartValues.defaults().with("writeUnmanagedNetworkFiles", true)).daemonSet();
        var main = container(ds, "aws-node");
        assertEquals("true", env(main).get("GUARD_WRITE_UNMANAGED_NETWORK_FILES"));
        assertFalse(mount(main, "/host/etc/systemd/network").getReadOnly());
        assertTrue(mount(main, "/host/usr/lib/systemd/network").getReadOnly(), "only /etc is the admin's to write");
    }

    @Test
    void aPodMonitorScrapesTheMetricsPort() {
        var chart = render(ChartValues.defaults().with("podMonitor.create", true).with("podMonitor.labels", Map.of("release", "prom")));
        var monitors = chart.generic("PodMonitor");
        assertEquals(1, monitors.size(), chart.summary());
        var monitor = monitors.getFirst();
        assertEquals("monitoring.coreos.com/v1", monitor.getApiVersion());
        assertEquals("kube-system", monitor.getMetadata().getNamespace());
        assertEquals("prom", monitor.getMetadata().getLabels().get("release"));
        var spec = spec(monitor);
        assertEquals(Map.of("matchLabels", Map.of("k8s-app", "aws-node")), spec.get("selector"));
        assertEquals(Map.of("matchNames", List.of("kube-system")), spec.get("namespaceSelector"));
        @SuppressWarnings("unchecked")
        var endpoint = ((List<Map<String, Object>>) spec.get("podMetricsEndpoints")).getFirst();
        assertEquals("metrics", endpoint.get("port"));
        assertEquals("/metrics", endpoint.get("path"));
        var port = container(chart.daemonSet(), "aws-node").getPorts().stream().filter(p -> "metrics".equals(p.getName()))
                .findFirst().orElseThrow();
        assertEquals(61678, port.getContainerPort());
    }

    @Test
    void aMetricsPortMovesTheContainerPort() {
        var chart = render(ChartValues.defaults().with("env.METRICS_PORT", "9100"));
        assertEquals(9100, container(chart.daemonSet(), "aws-node").getPorts().getFirst().getContainerPort());
    }

    @Test
    void eniConfigsAreNamedByRegionAndZone() {
        var chart = render(ChartValues.defaults().with("eniConfig.create", true).with("eniConfig.region", "eu-west-1")
                .with("eniConfig.subnets", Map.of(
                        "a", Map.of("id", "subnet-0aa", "securityGroups", List.of("sg-01", "sg-02")),
                        "b", Map.of("id", "subnet-0bb"))));
        var configs = chart.generic("ENIConfig");
        assertEquals(List.of("eu-west-1a", "eu-west-1b"), configs.stream().map(c -> c.getMetadata().getName()).sorted().toList());
        var a = configs.stream().filter(c -> c.getMetadata().getName().equals("eu-west-1a")).findFirst().orElseThrow();
        assertEquals("crd.k8s.amazonaws.com/v1alpha1", a.getApiVersion());
        assertEquals(Map.of("subnet", "subnet-0aa", "securityGroups", List.of("sg-01", "sg-02")), spec(a));
        var b = configs.stream().filter(c -> c.getMetadata().getName().equals("eu-west-1b")).findFirst().orElseThrow();
        assertEquals(Map.of("subnet", "subnet-0bb"), spec(b), "no groups: the daemon uses the primary ENI's");
        assertTrue(render(ChartValues.defaults().with("eniConfig.subnets", Map.of("a", Map.of("id", "subnet-0aa"))))
                .generic("ENIConfig").isEmpty(), "subnets alone create nothing: eniConfig.create is the switch");
    }

    @Test
    void eniConfigCreateWithoutSubnetsIsRefused() {
        var e = assertThrows(RuntimeException.class, () -> HelmChart.template(ChartValues.defaults().with("eniConfig.create", true)));
        assertTrue(e.getMessage().contains("eniConfig.subnets must name at least one subnet"), e.getMessage());
        var noId = assertThrows(RuntimeException.class, () -> HelmChart.template(ChartValues.defaults()
                .with("eniConfig.create", true).with("eniConfig.subnets", Map.of("c", Map.of("securityGroups", List.of("sg-1"))))));
        assertTrue(noId.getMessage().contains("eniConfig.subnets.c.id must be the subnet's id"), noId.getMessage());
    }

    @ParameterizedTest(name = "INTROSPECTION_BIND_ADDRESS={0} is probed at {1}:{2}")
    @CsvSource({"127.0.0.1:9090, 127.0.0.1, 9090", ":61700, 127.0.0.1, 61700", "0.0.0.0:61679, 127.0.0.1, 61679",
            "10.0.0.5:61679, 10.0.0.5, 61679", "'[::1]:61679', ::1, 61679", "'[::]:61680', ::1, 61680"})
    void theProbesFollowTheIntrospectionAddress(String bind, String host, int port) {
        var main = container(render(ChartValues.defaults().with("env.INTROSPECTION_BIND_ADDRESS", bind)).daemonSet(), "aws-node");
        for (var probe : List.of(main.getLivenessProbe(), main.getReadinessProbe())) {
            assertEquals(host, probe.getHttpGet().getHost());
            assertEquals(port, probe.getHttpGet().getPort().getIntVal());
        }
        assertEquals(bind, env(main).get("INTROSPECTION_BIND_ADDRESS"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"unix:/var/run/aws-node/introspection.sock", "61679"})
    void anAddressTheProbesCannotReachIsRefused(String bind) {
        var e = assertThrows(RuntimeException.class,
                () -> HelmChart.template(ChartValues.defaults().with("env.INTROSPECTION_BIND_ADDRESS", bind)));
        assertTrue(e.getMessage().contains("env.INTROSPECTION_BIND_ADDRESS=" + bind), e.getMessage());
    }

    @Test
    void serviceAccountAnnotationsCarryTheIrsaRole() {
        var role = "arn:aws:iam::111122223333:role/AmazonEKSVPCCNIRole";
        var chart = render(ChartValues.defaults().with("serviceAccount.annotations", Map.of("eks.amazonaws.com/role-arn", role)));
        assertEquals(Map.of("eks.amazonaws.com/role-arn", role), chart.serviceAccount().orElseThrow().getMetadata().getAnnotations());
    }

    @Test
    void anExistingServiceAccountIsBoundInstead() {
        var chart = render(ChartValues.defaults().with("serviceAccount.create", false).with("serviceAccount.name", "vpc-cni"));
        assertTrue(chart.serviceAccount().isEmpty());
        assertEquals("vpc-cni", chart.daemonSet().getSpec().getTemplate().getSpec().getServiceAccountName());
        assertEquals("vpc-cni", chart.clusterRoleBinding().getSubjects().getFirst().getName());
        assertEquals("vpc-cni", chart.sweeperRoleBinding().getSubjects().getFirst().getName());
        var e = assertThrows(RuntimeException.class, () -> HelmChart.template(ChartValues.defaults().with("serviceAccount.create", false)));
        assertTrue(e.getMessage().contains("serviceAccount.name must name an existing ServiceAccount"), e.getMessage());
    }

    @Test
    void imagesPodMetadataAndPlacementComeFromValues() {
        var ds = render(ChartValues.defaults()
                .with("image.override", "registry.example/vpc-cni@sha256:abc")
                .with("init.image.repository", "registry.example/vpc-cni-init")
                .with("init.env.DISABLE_TCP_EARLY_DEMUX", "true")
                .with("env.AWS_VPC_ENI_MTU", "1500")
                .with("podLabels", Map.of("team", "net"))
                .with("podAnnotations", Map.of("example.com/scrape", "no"))
                .with("nodeSelector", Map.of("node.kubernetes.io/instance-type", "m5.large"))
                .with("resources", Map.of("requests", Map.of("cpu", "50m")))).daemonSet();
        var pod = ds.getSpec().getTemplate();
        assertEquals("registry.example/vpc-cni@sha256:abc", container(ds, "aws-node").getImage());
        assertEquals("registry.example/vpc-cni-init:1.0.0-SNAPSHOT", initContainer(ds).getImage(), "the daemon's tag by default");
        assertEquals("true", env(initContainer(ds)).get("DISABLE_TCP_EARLY_DEMUX"));
        assertEquals("1500", env(initContainer(ds)).get("AWS_VPC_ENI_MTU"), "one MTU for both containers");
        assertEquals("1500", env(container(ds, "aws-node")).get("AWS_VPC_ENI_MTU"));
        assertEquals("net", pod.getMetadata().getLabels().get("team"));
        assertEquals("aws-node", pod.getMetadata().getLabels().get("k8s-app"), "the selector's label stays");
        assertEquals(Map.of("example.com/scrape", "no", "kubectl.kubernetes.io/default-container", "aws-node"),
                pod.getMetadata().getAnnotations());
        assertEquals(Map.of("node.kubernetes.io/instance-type", "m5.large"), pod.getSpec().getNodeSelector());
        assertEquals("50m", container(ds, "aws-node").getResources().getRequests().get("cpu").toString());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "env.MY_NODE_NAME                      | env.MY_NODE_NAME is set by the chart: the downward API gives it",
            "env.HOST_CNI_CONFDIR_PATH             | env.HOST_CNI_CONFDIR_PATH is set by the chart",
            "env.GUARD_WRITE_UNMANAGED_NETWORK_FILES | set writeUnmanagedNetworkFiles instead",
            "init.env.HOST_CNI_BIN_PATH            | init.env.HOST_CNI_BIN_PATH is set by the chart",
            "init.env.AWS_VPC_ENI_MTU              | AWS_VPC_ENI_MTU comes from env.AWS_VPC_ENI_MTU"})
    void aVariableTheChartSetsCannotBeSetTwice(String value, String message) {
        var e = assertThrows(RuntimeException.class, () -> HelmChart.template(ChartValues.defaults().with(value, "x")));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource resource) {
        return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
    }
}
