package io.vpccni.ipamd.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InstanceLimitsTableTest {
    /**
     * Max pods as published for each type (upstream's eni-max-pods.txt, from EC2's per-type limits). The table's
     * ENIs × (IPv4 − 1) + 2 must reproduce every one, which checks both columns of every row.
     */
    private static final String PUBLISHED_MAX_PODS = """
            t3.nano 4, t3.micro 4, t3.small 11, t3.medium 17, t3.large 35, t3.xlarge 58, t3.2xlarge 58,
            t3a.nano 4, t3a.micro 4, t3a.small 8, t3a.medium 17, t3a.large 35, t3a.xlarge 58, t3a.2xlarge 58,
            m5.large 29, m5.xlarge 58, m5.2xlarge 58, m5.4xlarge 234, m5.8xlarge 234, m5.12xlarge 234, m5.16xlarge 737, m5.24xlarge 737,
            m5a.large 29, m5a.xlarge 58, m5a.2xlarge 58, m5a.4xlarge 234, m5a.8xlarge 234, m5a.12xlarge 234, m5a.16xlarge 737, m5a.24xlarge 737,
            c5.large 29, c5.xlarge 58, c5.2xlarge 58, c5.4xlarge 234, c5.9xlarge 234, c5.12xlarge 234, c5.18xlarge 737, c5.24xlarge 737,
            r5.large 29, r5.xlarge 58, r5.2xlarge 58, r5.4xlarge 234, r5.8xlarge 234, r5.12xlarge 234, r5.16xlarge 737, r5.24xlarge 737,
            m6i.large 29, m6i.xlarge 58, m6i.2xlarge 58, m6i.4xlarge 234, m6i.8xlarge 234, m6i.12xlarge 234, m6i.16xlarge 737, m6i.24xlarge 737, m6i.32xlarge 737,
            c6i.large 29, c6i.xlarge 58, c6i.2xlarge 58, c6i.4xlarge 234, c6i.8xlarge 234, c6i.12xlarge 234, c6i.16xlarge 737, c6i.24xlarge 737, c6i.32xlarge 737,
            r6i.large 29, r6i.xlarge 58, r6i.2xlarge 58, r6i.4xlarge 234, r6i.8xlarge 234, r6i.12xlarge 234, r6i.16xlarge 737, r6i.24xlarge 737, r6i.32xlarge 737,
            m7i.large 29, m7i.xlarge 58, m7i.2xlarge 58, m7i.4xlarge 234, m7i.8xlarge 234, m7i.12xlarge 234, m7i.16xlarge 737, m7i.24xlarge 737, m7i.48xlarge 737,
            c7g.medium 8, c7g.large 29, c7g.xlarge 58, c7g.2xlarge 58, c7g.4xlarge 234, c7g.8xlarge 234, c7g.12xlarge 234, c7g.16xlarge 737,
            m7g.medium 8, m7g.large 29, m7g.xlarge 58, m7g.2xlarge 58, m7g.4xlarge 234, m7g.8xlarge 234, m7g.12xlarge 234, m7g.16xlarge 737
            """;

    private static Map<String, Integer> publishedMaxPods() {
        var byType = new TreeMap<String, Integer>();
        for (var entry : PUBLISHED_MAX_PODS.split(",")) {
            var fields = entry.strip().split(" ");
            byType.put(fields[0], Integer.parseInt(fields[1]));
        }
        return byType;
    }

    static Stream<Arguments> published() {
        var rows = new ArrayList<Arguments>();
        publishedMaxPods().forEach((type, maxPods) -> rows.add(Arguments.of(type, maxPods)));
        return rows.stream();
    }

    @ParameterizedTest
    @MethodSource("published")
    void everyEntryReproducesThePublishedMaxPods(String type, int maxPods) {
        assertEquals(maxPods, InstanceLimitsTable.maxPods(InstanceLimitsTable.find(type).orElseThrow()));
    }

    @Test
    void theTableHoldsExactlyTheCheckedTypes() {
        assertEquals(publishedMaxPods().keySet(), InstanceLimitsTable.all().keySet());
    }

    @ParameterizedTest
    @CsvSource({
            "t3.nano, 2, 2", "t3.micro, 2, 2", "t3.small, 3, 4", "t3.medium, 3, 6", "t3.large, 3, 12", "t3.2xlarge, 4, 15",
            "t3a.small, 2, 4", "m5.large, 3, 10", "m5.xlarge, 4, 15", "m5.2xlarge, 4, 15", "m5.4xlarge, 8, 30",
            "m5.24xlarge, 15, 50", "c5.large, 3, 10", "c5.9xlarge, 8, 30", "c5.18xlarge, 15, 50", "r6i.32xlarge, 15, 50",
            "m7i.48xlarge, 15, 50", "c7g.medium, 2, 4", "m7g.16xlarge, 15, 50",
    })
    void knownTypesHaveEc2sLimits(String type, int enis, int ipv4PerEni) {
        assertEquals(new InstanceLimits(type, enis, ipv4PerEni), InstanceLimitsTable.find(type).orElseThrow());
    }

    @ParameterizedTest
    @CsvSource({
            "m5.large, 3, 10, 29", "t3.medium, 3, 6, 17", "t3.nano, 2, 2, 4", "m5.24xlarge, 15, 50, 737",
            "made.up, 1, 2, 3", "made.up, 7, 11, 72",
    })
    void maxPodsIsEnisTimesSecondaryAddressesPlusTwo(String type, int enis, int ipv4PerEni, int maxPods) {
        assertEquals(maxPods, InstanceLimitsTable.maxPods(new InstanceLimits(type, enis, ipv4PerEni)));
    }

    @Test
    void aTableTypeIsAnsweredWithoutAskingTheFallback() {
        var limits = InstanceLimitsTable.lookup("m5.large", type -> {
            throw new AssertionError("fallback asked for " + type);
        });
        assertEquals(new InstanceLimits("m5.large", 3, 10), limits);
    }

    @Test
    void anUnknownTypeIsAskedOfTheFallback() {
        var fromEc2 = new InstanceLimits("x9.huge", 9, 40);
        assertSame(fromEc2, InstanceLimitsTable.lookup("x9.huge", type -> Optional.of(fromEc2)));
    }

    @Test
    void aTypeNobodyKnowsIsAnErrorNamingIt() {
        var e = assertThrows(IllegalArgumentException.class, () -> InstanceLimitsTable.lookup("x9.huge", type -> Optional.empty()));
        assertTrue(e.getMessage().contains("'x9.huge'"), e.getMessage());
        assertTrue(e.getMessage().contains("ec2:DescribeInstanceTypes"), e.getMessage());
    }

    @Test
    void findIsEmptyForAnUnknownType() {
        assertEquals(Optional.empty(), InstanceLimitsTable.find("x9.huge"));
    }

    @Test
    void aBlankTypeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> InstanceLimitsTable.lookup(" ", type -> Optional.empty()));
    }

    @ParameterizedTest
    @CsvSource({"'', 3, 10", "m5.large, 0, 10", "m5.large, 3, 1"})
    void limitsMustBeUsable(String type, int enis, int ipv4PerEni) {
        assertThrows(IllegalArgumentException.class, () -> new InstanceLimits(type, enis, ipv4PerEni));
    }
}
