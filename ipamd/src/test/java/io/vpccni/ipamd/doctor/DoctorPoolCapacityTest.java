package io.vpccni.ipamd.doctor;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Max pods against the addresses the node has, or can ever have if its pool may grow (m5.large: 3 ENIs x 10 addresses). */
class DoctorPoolCapacityTest {
    @ParameterizedTest(name = "max pods {0}, {1}+{2} addresses, {3}, pd={4}, grow={5}, custom={6} -> {7}")
    @CsvSource({
            "29, 20, 7, m5.large, false, true, false, OK",        // 27 addresses + 2 host-network pods
            "29, 5, 2, m5.large, false, true, false, OK",         // grows on demand to 27
            "110, 5, 2, m5.large, false, true, false, WARNING",   // the instance can never address 110 pods
            "110, 5, 2, m5.large, true, true, false, OK",         // prefixes: 3 x 9 x 16
            "29, 5, 2, m5.large, false, true, true, WARNING",     // custom networking: the primary ENI is not used
            "29, 5, 2, m5.large, false, false, false, WARNING",   // provisioning disabled: what it has is all it gets
            "29, 5, 2, '', false, true, false, OK",               // ceiling unknown: no claim
            "0, 0, 0, m5.large, false, true, false, OK"})         // max pods not known yet
    void maxPodsAgainstAddresses(int maxPods, int available, int assigned, String type, boolean pd, boolean grow, boolean custom,
                                 Finding.Severity severity) {
        var env = new HashMap<String, String>();
        if (pd) {
            env.put("ENABLE_PREFIX_DELEGATION", "true");
            env.put("WARM_PREFIX_TARGET", "1");
        }
        if (!grow) {
            env.put("DISABLE_NETWORK_RESOURCE_PROVISIONING", "true");
        }
        if (custom) {
            env.put("AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG", "true");
        }
        var settings = DoctorSettings.fromEnv(env);
        var f = PoolCapacityCheck.findings(new PodsView.Pool(true, "", available, assigned, maxPods), PoolCapacityCheck.limits(type),
                settings).getFirst();
        assertEquals(severity, f.severity(), f.toString());
    }
}
