package io.vpccni.ipamd.cloud;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class EniTagsTest {
    private static final Instant AT = Instant.parse("2025-03-04T05:06:07.891Z");

    @Test
    void descriptionNamesTheInstance() {
        assertEquals("aws-K8S-i-0123", EniTags.description("i-0123"));
    }

    @Test
    void withoutAClusterNameOnlyTheNodeTags() {
        assertEquals(Map.of("node.k8s.amazonaws.com/instance_id", "i-0123",
                        "node.k8s.amazonaws.com/createdAt", "2025-03-04T05:06:07Z"),
                EniTags.forNewEni("i-0123", AT, Optional.empty(), Map.of()));
    }

    @Test
    void aClusterNameAddsTheClusterAndOwnerTags() {
        var tags = EniTags.forNewEni("i-0123", AT, Optional.of("prod"), Map.of());
        assertEquals("prod", tags.get("cluster.k8s.amazonaws.com/name"));
        assertEquals("amazon-vpc-cni", tags.get("eks:eni:owner"));
    }

    @Test
    void additionalTagsKeepAllButReservedKeysAndNeverOverrideOurs() {
        var tags = EniTags.forNewEni("i-0123", AT, Optional.empty(), Map.of(
                "team", "net", "node.k8s.amazonaws.com/instance_id", "i-evil", "foo.k8s.amazonaws.com/x", "y"));
        assertEquals(List.of("team", "node.k8s.amazonaws.com/instance_id", "node.k8s.amazonaws.com/createdAt"),
                List.copyOf(tags.keySet()));
        assertEquals("i-0123", tags.get("node.k8s.amazonaws.com/instance_id"));
    }

    @Test
    void createEniRequestRefusesIpsAndPrefixesTogether() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new CreateEniRequest("subnet-1", List.of(), "d", 1, 1, Map.of()));
        assertTrue(e.getMessage().contains("subnet-1"), e.getMessage());
    }
}
