package io.vpccni.ipamd.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vpccni.ipamd.schedule.FakeScheduler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static io.vpccni.ipamd.k8s.EniConfigWatch.ENI_CONFIG;
import static io.vpccni.ipamd.k8s.MockApiServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EniConfigWatchTest {
    private final MockApiServer api = new MockApiServer();
    private Cluster cluster;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        api.close();
    }

    static GenericKubernetesResource eniConfig(String name, Map<String, Object> spec) {
        return new GenericKubernetesResourceBuilder().withApiVersion("crd.k8s.amazonaws.com/v1alpha1").withKind("ENIConfig")
                .withNewMetadata().withName(name).endMetadata().addToAdditionalProperties("spec", spec).build();
    }

    @Test
    void seesEniConfigsAddedChangedAndDeleted() {
        var eniConfigs = api.admin.genericKubernetesResources(ENI_CONFIG);
        eniConfigs.resource(eniConfig("us-west-2a", Map.of("subnet", "subnet-0aa", "securityGroups", List.of("sg-1", "sg-2"))))
                .create();
        var settings = new KubeSettings(Optional.empty(), Optional.empty(), false, Optional.empty(), Optional.empty(),
                "kube-system");
        cluster = KubeCluster.connect(api.config(), settings, KubeCluster.Features.of(true), new SimpleMeterRegistry(),
                new FakeScheduler(), Clock.systemUTC());
        var changes = new AtomicInteger();
        cluster.eniConfigs().onChange(changes::incrementAndGet);

        await(() -> cluster.eniConfigs().synced(), () -> "not synced");
        assertEquals(Optional.of(new EniConfig("us-west-2a", "subnet-0aa", List.of("sg-1", "sg-2"))),
                cluster.eniConfigs().get("us-west-2a"));
        assertEquals(Optional.empty(), cluster.eniConfigs().get("us-west-2b"));

        eniConfigs.resource(eniConfig("us-west-2b", Map.of("subnet", "subnet-0bb"))).create();
        await(() -> cluster.eniConfigs().get("us-west-2b").isPresent(), () -> "us-west-2b not seen");
        assertEquals(List.of(), cluster.eniConfigs().get("us-west-2b").orElseThrow().securityGroups(),
                "no groups: the primary ENI's");

        eniConfigs.withName("us-west-2a").edit(o -> eniConfig("us-west-2a", Map.of("subnet", "subnet-0cc",
                "securityGroups", List.of("sg-3"))));
        await(() -> cluster.eniConfigs().get("us-west-2a").orElseThrow().subnet().equals("subnet-0cc"),
                () -> "" + cluster.eniConfigs().get("us-west-2a"));
        assertEquals(List.of("sg-3"), cluster.eniConfigs().get("us-west-2a").orElseThrow().securityGroups());

        eniConfigs.withName("us-west-2b").delete();
        await(() -> cluster.eniConfigs().get("us-west-2b").isEmpty(), () -> "us-west-2b still there");
        await(() -> changes.get() >= 4, () -> changes + " changes");
        assertEquals(4, changes.get(), "add (initial list), add, change, delete");
    }

    @Test
    void readsOnlySubnetAndSecurityGroupsAndToleratesNonsense() {
        var odd = eniConfig("odd", Map.of("subnet", 7, "securityGroups", "sg-1", "tags", Map.of("a", "b")));
        var config = EniConfigWatch.eniConfig(odd);
        assertEquals("", config.subnet(), "a non-string subnet is no subnet");
        assertEquals(List.of(), config.securityGroups());

        var bare = new GenericKubernetesResourceBuilder().withApiVersion("crd.k8s.amazonaws.com/v1alpha1")
                .withKind("ENIConfig").withNewMetadata().withName("bare").endMetadata().build();
        assertEquals(new EniConfig("bare", "", List.of()), EniConfigWatch.eniConfig(bare));

        var extra = eniConfig("x", Map.of("subnet", " subnet-1 ", "securityGroups", List.of("sg-1", " ", "sg-2")));
        assertEquals(new EniConfig("x", "subnet-1", List.of("sg-1", "sg-2")), EniConfigWatch.eniConfig(extra));
        assertTrue(EniConfigWatch.eniConfig(extra).subnet().startsWith("subnet-"));
    }
}
