package io.vpccni.ipamd.policy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static io.vpccni.ipamd.policy.Pools.M5_LARGE;
import static io.vpccni.ipamd.policy.Pools.config;
import static io.vpccni.ipamd.policy.Pools.eni;
import static io.vpccni.ipamd.policy.Pools.pdStats;
import static io.vpccni.ipamd.policy.Pools.sipStats;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** One row per case of upstream's warm-pool formulas (m5.large: 3 ENIs, 9 secondary /32s or 9 prefixes each). */
class WarmTargetsTest {

    private static WarmTargets sip(String... settings) {
        var config = config(settings);
        return new WarmTargets(config, PoolLimits.of(config, M5_LARGE));
    }

    private static WarmTargets pd(String... settings) {
        var all = new ArrayList<>(List.of("ENABLE_PREFIX_DELEGATION=true"));
        all.addAll(List.of(settings));
        var config = config(all.toArray(String[]::new));
        return new WarmTargets(config, PoolLimits.of(config, M5_LARGE));
    }

    @ParameterizedTest(name = "MAX_ENI={0} PD={1} {2} -> maxEni {3}, {4} IPs, {5} prefixes per ENI")
    @CsvSource({
            "'', false, m5.large, 3, 9, 0",
            "2, false, m5.large, 2, 9, 0",
            "3, false, m5.large, 3, 9, 0",
            "10, false, m5.large, 3, 9, 0",
            "'', true, m5.large, 3, 144, 9",
            "1, true, m5.large, 1, 144, 9",
            "'', false, t3.nano, 2, 1, 0",
            "'', true, m5.24xlarge, 15, 784, 49",
    })
    void limitsApplyMaxEniAndTheAddressingMode(String maxEni, boolean pd, String type, int expectedMaxEni,
                                               int ipsPerEni, int prefixesPerEni) {
        var config = config("MAX_ENI=" + maxEni, "ENABLE_PREFIX_DELEGATION=" + pd, "WARM_PREFIX_TARGET=1");
        var limits = PoolLimits.of(config, InstanceLimitsTable.find(type).orElseThrow());
        assertEquals(new PoolLimits(expectedMaxEni, ipsPerEni, prefixesPerEni), limits);
    }

    @ParameterizedTest(name = "WARM_IP={0} MIN={1} total={2} assigned={3} -> short {4}, over {5}")
    @CsvSource({
            // no IP targets: the ENI regime, no short/over
            "0, 0, 9, 3, 0, 0",
            // WARM_IP_TARGET alone
            "5, 0, 9, 3, 0, 1",
            "5, 0, 9, 4, 0, 0",
            "5, 0, 9, 6, 2, 0",
            "5, 0, 0, 0, 5, 0",
            // MINIMUM_IP_TARGET alone
            "0, 10, 9, 0, 1, 0",
            "0, 10, 10, 0, 0, 0",
            "0, 10, 14, 0, 0, 4",
            "0, 10, 14, 13, 0, 1",
            // both: the larger shortfall wins, the minimum caps the surplus
            "2, 10, 12, 1, 0, 2",
            "2, 10, 8, 7, 2, 0",
            "10, 2, 4, 0, 6, 0",
            "3, 20, 20, 18, 1, 0",
            "1, 20, 30, 0, 0, 10",
    })
    void secondaryIpShortAndOver(int warmIp, int minimumIp, int total, int assigned, int expectedShort, int expectedOver) {
        var targets = sip("WARM_IP_TARGET=" + warmIp, "MINIMUM_IP_TARGET=" + minimumIp);
        var stats = sipStats(total, assigned);
        assertEquals(expectedShort, targets.shortfall(stats), "short");
        assertEquals(expectedOver, targets.surplus(stats), "over");
    }

    @ParameterizedTest(name = "WARM_IP={0} MIN={1} prefixes={2} assigned={3} free={4} -> short {5}, over {6} prefixes")
    @CsvSource({
            // no IP targets (WARM_PREFIX_TARGET regime): no short/over
            "0, 0, 2, 0, 2, 0, 0",
            // short is rounded up to whole prefixes
            "1, 0, 0, 0, 0, 1, 0",
            "1, 0, 1, 16, 0, 1, 0",
            "16, 0, 1, 1, 0, 1, 0",
            "20, 0, 0, 0, 0, 2, 0",
            "32, 0, 0, 0, 0, 2, 0",
            "33, 0, 0, 0, 0, 3, 0",
            "0, 40, 1, 0, 1, 2, 0",
            "1, 0, 1, 0, 1, 0, 0",
            // over: free prefixes beyond ceil((assigned + WARM_IP) / 16) ...
            "5, 0, 3, 1, 2, 0, 2",
            "16, 0, 3, 1, 2, 0, 1",
            // ... and beyond ceil(MINIMUM_IP / 16)
            "5, 40, 3, 1, 2, 0, 0",
            "0, 16, 2, 0, 2, 0, 1",
            "0, 17, 3, 0, 3, 0, 1",
            // addresses spread one per prefix: nothing is free to give back
            "15, 0, 3, 3, 0, 0, 0",
    })
    void prefixShortAndOver(int warmIp, int minimumIp, int prefixes, int assigned, int free, int expectedShort, int expectedOver) {
        var targets = pd("WARM_PREFIX_TARGET=1", "WARM_IP_TARGET=" + warmIp, "MINIMUM_IP_TARGET=" + minimumIp);
        var stats = pdStats(prefixes, assigned, free);
        assertEquals(expectedShort, targets.shortfall(stats), "short");
        assertEquals(expectedOver, targets.surplus(stats), "over");
    }

    @ParameterizedTest(name = "WARM_ENI={0} WARM_IP={1} total={2} assigned={3} maxPods={4} -> low {5}")
    @CsvSource({
            // WARM_ENI_TARGET: low while fewer than T whole ENIs (9 each) are available
            "1, 0, 9, 0, 110, false",
            "1, 0, 9, 1, 110, true",
            "1, 0, 0, 0, 110, true",
            "2, 0, 18, 0, 110, false",
            "2, 0, 18, 1, 110, true",
            // WARM_ENI_TARGET=0 still keeps one address
            "0, 0, 9, 8, 110, false",
            "0, 0, 9, 9, 110, true",
            "0, 0, 0, 0, 110, true",
            // WARM_IP_TARGET replaces it: low when short > 0
            "1, 5, 9, 4, 110, false",
            "1, 5, 9, 5, 110, true",
            "1, 5, 20, 0, 110, false",
            // the max-pods cap: never low once the pool holds max pods addresses
            "1, 0, 27, 20, 27, false",
            "1, 0, 26, 20, 27, true",
            "1, 0, 29, 29, 29, false",
            "1, 5, 9, 9, 9, false",
            "1, 5, 9, 9, 10, true",
    })
    void secondaryIpPoolTooLow(int warmEni, int warmIp, int total, int assigned, int maxPods, boolean low) {
        var targets = sip("WARM_ENI_TARGET=" + warmEni, "WARM_IP_TARGET=" + warmIp);
        assertEquals(low, targets.tooLow(sipStats(total, assigned), maxPods));
    }

    @ParameterizedTest(name = "WARM_PREFIX={0} WARM_IP={1} prefixes={2} assigned={3} free={4} -> low {5}")
    @CsvSource({
            // WARM_PREFIX_TARGET: low while fewer than T × 16 addresses are available
            "1, 0, 1, 0, 1, false",
            "1, 0, 1, 1, 0, true",
            "1, 0, 0, 0, 0, true",
            "2, 0, 2, 0, 2, false",
            "2, 0, 1, 0, 1, true",
            "2, 0, 3, 16, 2, false",
            "2, 0, 3, 17, 1, true",
            // WARM_IP_TARGET replaces it
            "1, 1, 1, 15, 0, false",
            "1, 1, 1, 16, 0, true",
            "0, 20, 1, 0, 1, true",
    })
    void prefixPoolTooLow(int warmPrefix, int warmIp, int prefixes, int assigned, int free, boolean low) {
        var targets = pd("WARM_PREFIX_TARGET=" + warmPrefix, "WARM_IP_TARGET=" + warmIp);
        assertEquals(low, targets.tooLow(pdStats(prefixes, assigned, free), 110));
    }

    @ParameterizedTest(name = "WARM_ENI={0} WARM_IP={1} MIN={2} total={3} assigned={4} -> high {5}, release {6}")
    @CsvSource({
            // WARM_ENI_TARGET alone never frees addresses, however many are spare
            "1, 0, 0, 27, 0, false, 0",
            "0, 0, 0, 27, 0, false, 0",
            "2, 0, 0, 27, 26, false, 0",
            // with IP targets: high when over > 0, and over is what to release
            "1, 5, 0, 9, 3, true, 1",
            "1, 5, 0, 9, 4, false, 0",
            "1, 0, 10, 14, 0, true, 4",
            "1, 0, 10, 10, 0, false, 0",
            "1, 2, 10, 12, 1, true, 2",
    })
    void secondaryIpPoolTooHigh(int warmEni, int warmIp, int minimumIp, int total, int assigned, boolean high, int release) {
        var targets = sip("WARM_ENI_TARGET=" + warmEni, "WARM_IP_TARGET=" + warmIp, "MINIMUM_IP_TARGET=" + minimumIp);
        var stats = sipStats(total, assigned);
        assertEquals(high, targets.tooHigh(stats), "too high");
        assertEquals(release, targets.releasable(stats), "release");
    }

    @ParameterizedTest(name = "WARM_PREFIX={0} WARM_IP={1} prefixes={2} assigned={3} free={4} -> high {5}, release {6}")
    @CsvSource({
            // WARM_PREFIX_TARGET: high when more prefixes are free than the target
            "1, 0, 1, 0, 1, false, 0",
            "1, 0, 3, 0, 3, true, 2",
            "2, 0, 3, 5, 2, false, 0",
            "1, 0, 4, 20, 2, true, 1",
            // IP targets take precedence over WARM_PREFIX_TARGET
            "1, 5, 3, 1, 2, true, 2",
            "5, 5, 3, 1, 2, true, 2",
            "1, 16, 3, 1, 2, true, 1",
            "3, 40, 3, 1, 2, false, 0",
    })
    void prefixPoolTooHigh(int warmPrefix, int warmIp, int prefixes, int assigned, int free, boolean high, int release) {
        var targets = pd("WARM_PREFIX_TARGET=" + warmPrefix, "WARM_IP_TARGET=" + warmIp);
        var stats = pdStats(prefixes, assigned, free);
        assertEquals(high, targets.tooHigh(stats), "too high");
        assertEquals(release, targets.releasable(stats), "release");
    }

    @ParameterizedTest(name = "WARM_IP={0} MIN={1} total={2} assigned={3} -> ask ENI {4}, new ENI {5}")
    @CsvSource({
            // no IP targets: fill a whole ENI
            "0, 0, 0, 0, 9, 9",
            "0, 0, 9, 9, 9, 9",
            // IP targets: exactly the shortfall, capped at one ENI for a new one
            "5, 0, 9, 7, 3, 3",
            "20, 0, 0, 0, 20, 9",
            "1, 12, 9, 0, 3, 3",
    })
    void secondaryIpGrowthRequest(int warmIp, int minimumIp, int total, int assigned, int onEni, int onNewEni) {
        var targets = sip("WARM_IP_TARGET=" + warmIp, "MINIMUM_IP_TARGET=" + minimumIp);
        var stats = sipStats(total, assigned);
        assertEquals(onEni, targets.growthRequest(stats), "existing ENI");
        assertEquals(onNewEni, targets.newEniRequest(stats), "new ENI");
    }

    @ParameterizedTest(name = "WARM_PREFIX={0} WARM_IP={1} prefixes={2} assigned={3} free={4} -> ask {5}, new ENI {6}")
    @CsvSource({
            // getPrefixesNeeded: WARM_PREFIX_TARGET - free, never below 1
            "1, 0, 0, 0, 0, 1, 1",
            "3, 0, 1, 0, 1, 2, 2",
            "1, 0, 2, 0, 2, 1, 1",
            "4, 0, 1, 16, 0, 4, 4",
            // IP targets take precedence: the prefix shortfall, never below 1, a new ENI capped at 9 prefixes
            "1, 40, 0, 0, 0, 3, 3",
            "1, 200, 0, 0, 0, 13, 9",
            "1, 1, 1, 0, 1, 1, 1",
    })
    void prefixGrowthRequest(int warmPrefix, int warmIp, int prefixes, int assigned, int free, int onEni, int onNewEni) {
        var targets = pd("WARM_PREFIX_TARGET=" + warmPrefix, "WARM_IP_TARGET=" + warmIp);
        var stats = pdStats(prefixes, assigned, free);
        assertEquals(onEni, targets.growthRequest(stats), "existing ENI");
        assertEquals(onNewEni, targets.newEniRequest(stats), "new ENI");
    }

    @ParameterizedTest(name = "WARM_ENI={0} WARM_IP={1} total={2} assigned={3} -> look for an ENI to delete {4}")
    @CsvSource({
            // IP targets: always look (the per-ENI check decides)
            "1, 5, 0, 0, true",
            "1, 5, 9, 9, true",
            // else only when a whole ENI more than WARM_ENI_TARGET is available
            "1, 0, 18, 1, false",
            "1, 0, 18, 0, true",
            "0, 0, 9, 0, true",
            "0, 0, 9, 1, false",
            "2, 0, 27, 0, true",
            "2, 0, 27, 1, false",
    })
    void secondaryIpShouldRemoveExtraEnis(int warmEni, int warmIp, int total, int assigned, boolean look) {
        var targets = sip("WARM_ENI_TARGET=" + warmEni, "WARM_IP_TARGET=" + warmIp);
        assertEquals(look, targets.shouldRemoveExtraEnis(sipStats(total, assigned), List.of()));
    }

    @ParameterizedTest(name = "WARM_PREFIX={0} available={1} secondary={2} -> look for an ENI to delete {3}")
    @CsvSource({
            // (WARM_PREFIX_TARGET + 1) × 144 addresses available
            "1, 288, none, true",
            "1, 287, none, false",
            // else any ENI a pod does not use (upstream's CheckFreeableENIexists)
            "1, 16, idle, true",
            "1, 16, busy, false",
            "1, 16, trunk, false",
            "1, 16, efa, false",
    })
    void prefixShouldRemoveExtraEnis(int warmPrefix, int available, String secondary, boolean look) {
        var targets = pd("WARM_PREFIX_TARGET=" + warmPrefix);
        var enis = new ArrayList<EniState>();
        enis.add(eni("eni-primary", 0).primary().prefixes(1, 0, 1).build());
        switch (secondary) {
            case "idle" -> enis.add(eni("eni-b", 1).prefixes(1, 0, 1).build());
            case "busy" -> enis.add(eni("eni-b", 1).prefixes(1, 3, 0).build());
            case "trunk" -> enis.add(eni("eni-b", 1).trunk().build());
            case "efa" -> enis.add(eni("eni-b", 1).efa().prefixes(1, 0, 1).build());
            default -> { }
        }
        var stats = new PoolStats(available, 0, 0, Math.ceilDiv(available, 16), 0);
        assertEquals(look, targets.shouldRemoveExtraEnis(stats, enis));
    }
}
