package io.vpccni.test.chart;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.vpccni.test.chart.PodTemplateParts.container;
import static io.vpccni.test.chart.PodTemplateParts.env;
import static io.vpccni.test.chart.PodTemplateParts.initContainer;
import static io.vpccni.test.chart.PodTemplateParts.mount;
import static io.vpccni.test.chart.PodTemplateParts.volume;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chart with its default values: the DaemonSet as a node needs it, and the objects around it. */
class ChartDefaultsTest {
    private static final RenderedChart CHART = HelmChart.render(ChartValues.defaults());
    private static final DaemonSet DS = CHART.daemonSet();

    @Test
    void theObjectsOfADropInForAwsNode() {
        assertEquals(Set.of("ServiceAccount/aws-node", "ClusterRole/aws-node", "ClusterRoleBinding/aws-node",
                        "Role/aws-node-leaked-eni-sweeper", "RoleBinding/aws-node-leaked-eni-sweeper",
                        "ConfigMap/amazon-vpc-cni", "DaemonSet/aws-node"),
                CHART.objects().stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).collect(Collectors.toSet()),
                "no ENIConfig and no PodMonitor by default; helm template leaves the CRD of crds/ out");
        for (var o : CHART.objects()) {
            if (!o.getKind().startsWith("Cluster")) {
                assertEquals("kube-system", o.getMetadata().getNamespace(), o.getKind() + " in the release namespace");
            }
            assertEquals("aws-node", o.getMetadata().getLabels().get("k8s-app"), o.getKind());
        }
    }

    @Test
    void theDaemonSetSchedulesOnEveryLinuxAmd64NodeButFargateHybridAndAuto() {
        var spec = DS.getSpec().getTemplate().getSpec();
        assertEquals(Map.of("k8s-app", "aws-node"), DS.getSpec().getSelector().getMatchLabels(),
                "EKS's aws-node selector, which cannot be changed on an existing DaemonSet");
        assertEquals("system-node-critical", spec.getPriorityClassName());
        assertTrue(spec.getHostNetwork());
        assertEquals(10L, spec.getTerminationGracePeriodSeconds());
        assertEquals("aws-node", spec.getServiceAccountName());
        assertEquals("RollingUpdate", DS.getSpec().getUpdateStrategy().getType());
        assertEquals("10%", DS.getSpec().getUpdateStrategy().getRollingUpdate().getMaxUnavailable().getStrVal());
        assertEquals(1, spec.getTolerations().size());
        assertEquals("Exists", spec.getTolerations().getFirst().getOperator());
        assertNull(spec.getTolerations().getFirst().getKey(), "every taint");

        var terms = spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms();
        assertEquals(1, terms.size());
        var expressions = terms.getFirst().getMatchExpressions().stream()
                .collect(Collectors.toMap(e -> e.getKey(), e -> e.getOperator() + " " + e.getValues()));
        assertEquals(Map.of("kubernetes.io/os", "In [linux]", "kubernetes.io/arch", "In [amd64]",
                "eks.amazonaws.com/compute-type", "NotIn [fargate, hybrid, auto]"), expressions);
    }

    @Test
    void theInitContainerInstallsThePluginsWithTheSameImage() {
        var init = initContainer(DS);
        var main = container(DS, "aws-node");
        assertEquals("aws-vpc-cni-init", init.getName());
        assertEquals(main.getImage(), init.getImage());
        assertEquals("vpc-cni-java/aws-node:1.0.0-SNAPSHOT", main.getImage());
        assertEquals(List.of("/app/aws-k8s-agent", "install"), init.getCommand());
        assertTrue(init.getSecurityContext().getPrivileged(), "writes /proc/sys");
        assertEquals(Map.of("HOST_CNI_BIN_PATH", "/host/opt/cni/bin", "DISABLE_TCP_EARLY_DEMUX", "false",
                "AWS_VPC_ENI_MTU", "9001"), env(init));
        assertEquals("cni-bin-dir", mount(init, "/host/opt/cni/bin").getName());
        assertEquals("/opt/cni/bin", volume(DS, "cni-bin-dir").getHostPath().getPath());
    }

    @Test
    void theDaemonHasCapabilitiesNotPrivilege() {
        var sc = container(DS, "aws-node").getSecurityContext();
        assertNull(sc.getPrivileged());
        assertEquals(List.of("NET_ADMIN", "NET_RAW", "SYS_ADMIN"), sc.getCapabilities().getAdd());
    }

    @Test
    void theProbesAreHttpOnTheIntrospectionAddress() {
        var main = container(DS, "aws-node");
        var live = main.getLivenessProbe().getHttpGet();
        var ready = main.getReadinessProbe().getHttpGet();
        assertAll(
                () -> assertEquals("127.0.0.1", live.getHost()),
                () -> assertEquals(61679, live.getPort().getIntVal()),
                () -> assertEquals("/healthz", live.getPath()),
                () -> assertEquals("127.0.0.1", ready.getHost()),
                () -> assertEquals(61679, ready.getPort().getIntVal()),
                () -> assertEquals("/readyz", ready.getPath()),
                () -> assertNull(main.getLivenessProbe().getExec(), "no process per probe"),
                () -> assertEquals(60, main.getLivenessProbe().getInitialDelaySeconds()),
                () -> assertEquals(10, main.getReadinessProbe().getTimeoutSeconds()));
        assertEquals(61678, main.getPorts().getFirst().getContainerPort());
        assertEquals("metrics", main.getPorts().getFirst().getName());
    }

    @Test
    void theDaemonGetsItsEnvironmentFromValuesAndTheDownwardApi() {
        var main = container(DS, "aws-node");
        var env = env(main);
        assertAll(
                () -> assertEquals("/host/etc/cni/net.d", env.get("HOST_CNI_CONFDIR_PATH")),
                () -> assertEquals("127.0.0.1:61679", env.get("INTROSPECTION_BIND_ADDRESS")),
                () -> assertEquals("false", env.get("ANNOTATE_POD_IP")),
                () -> assertEquals("/var/run/aws-node/ipamd.sock", env.get("IPAMD_SOCKET_PATH")),
                () -> assertEquals("/var/run/aws-node/ipam.json", env.get("AWS_VPC_K8S_CNI_BACKING_STORE")),
                () -> assertEquals("/host/var/log/aws-routed-eni/ipamd.log", env.get("AWS_VPC_K8S_CNI_LOG_FILE")),
                () -> assertEquals("/host/run/systemd/netif/links", env.get("GUARD_NETWORKD_LINKS_DIR")),
                () -> assertEquals("/host/etc/systemd/network:/host/run/systemd/network:/host/usr/lib/systemd/network",
                        env.get("GUARD_NETWORK_DIRS")),
                () -> assertEquals("/host/run/NetworkManager/devices", env.get("GUARD_NETWORKMANAGER_DEVICES_DIR")),
                () -> assertEquals("false", env.get("GUARD_WRITE_UNMANAGED_NETWORK_FILES")),
                () -> assertEquals("/host/etc/systemd/system", env.get("DOCTOR_SYSTEMD_SYSTEM_DIR")),
                () -> assertFalse(env.containsKey("DISABLE_TCP_EARLY_DEMUX"), "the installer's, in init.env"));
        var fromFields = main.getEnv().stream().filter(e -> e.getValueFrom() != null)
                .collect(Collectors.toMap(EnvVar::getName, e -> e.getValueFrom().getFieldRef().getFieldPath()));
        assertEquals(Map.of("MY_NODE_NAME", "spec.nodeName", "MY_POD_NAME", "metadata.name",
                "MY_POD_NAMESPACE", "metadata.namespace"), fromFields);
        var names = main.getEnv().stream().map(EnvVar::getName).toList();
        assertEquals(names.size(), Set.copyOf(names).size(), "no variable twice: " + names);
    }

    @Test
    void everyHostPathVolumeIsMountedWhereTheDaemonLooks() {
        var main = container(DS, "aws-node");
        var expected = Map.ofEntries(
                Map.entry("/opt/cni/bin", "/host/opt/cni/bin"),
                Map.entry("/etc/cni/net.d", "/host/etc/cni/net.d"),
                Map.entry("/var/log/aws-routed-eni", "/host/var/log/aws-routed-eni"),
                Map.entry("/var/run/aws-node", "/var/run/aws-node"),
                Map.entry("/run/xtables.lock", "/run/xtables.lock"),
                Map.entry("/var/run/netns", "/var/run/netns"),
                Map.entry("/run/systemd", "/host/run/systemd"),
                Map.entry("/etc/systemd/network", "/host/etc/systemd/network"),
                Map.entry("/usr/lib/systemd/network", "/host/usr/lib/systemd/network"),
                Map.entry("/etc/systemd/system", "/host/etc/systemd/system"));
        var volumes = DS.getSpec().getTemplate().getSpec().getVolumes();
        assertEquals(expected.keySet(), volumes.stream().map(v -> v.getHostPath().getPath()).collect(Collectors.toSet()),
                "only hostPath volumes, these");
        var mountedVolumes = main.getVolumeMounts().stream().map(VolumeMount::getName).collect(Collectors.toSet());
        for (var v : volumes) {
            assertTrue(mountedVolumes.contains(v.getName()), v.getName() + " is mounted");
            assertEquals(v.getName(), mount(main, expected.get(v.getHostPath().getPath())).getName(),
                    v.getHostPath().getPath() + " at " + expected.get(v.getHostPath().getPath()));
        }
        assertEquals("HostToContainer", mount(main, "/var/run/netns").getMountPropagation(),
                "pod namespaces mounted after the daemon started are visible to it");
        assertFalse(Boolean.TRUE.equals(mount(main, "/var/run/netns").getReadOnly()));
        assertEquals("HostToContainer", mount(main, "/host/run/systemd").getMountPropagation());
        for (var readOnly : List.of("/host/run/systemd", "/host/etc/systemd/network", "/host/usr/lib/systemd/network",
                "/host/etc/systemd/system")) {
            assertTrue(mount(main, readOnly).getReadOnly(), readOnly + " is the guard's, read-only");
        }
        assertEquals("FileOrCreate", volume(DS, "xtables-lock").getHostPath().getType());
    }

    @Test
    void theConfigMapSaysOnlyWhatTheChartCanStandBehind() {
        assertEquals(Map.of("enable-windows-ipam", "false", "enable-windows-prefix-delegation", "false",
                "enable-network-policy-controller", "false"), CHART.configMap().getData());
    }

    @Test
    void theRbacObjectsAreBoundToTheServiceAccount() {
        var sa = CHART.serviceAccount().orElseThrow();
        assertEquals("aws-node", sa.getMetadata().getName());
        assertTrue(sa.getMetadata().getAnnotations() == null || sa.getMetadata().getAnnotations().isEmpty(), "no IRSA by default");
        var subject = CHART.clusterRoleBinding().getSubjects().getFirst();
        assertEquals("aws-node/kube-system", subject.getName() + "/" + subject.getNamespace());
        assertEquals("aws-node", CHART.clusterRoleBinding().getRoleRef().getName());
        var roleSubject = CHART.sweeperRoleBinding().getSubjects().getFirst();
        assertEquals("aws-node/kube-system", roleSubject.getName() + "/" + roleSubject.getNamespace());
    }
}
