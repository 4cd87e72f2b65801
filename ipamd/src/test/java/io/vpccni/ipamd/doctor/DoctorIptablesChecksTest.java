package io.vpccni.ipamd.doctor;

import io.vpccni.ipamd.host.IptablesMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which backend kube-proxy and aws-node write to, and filter FORWARD's policy, from iptables-save output. */
class DoctorIptablesChecksTest {
    private static final String KUBE = """
            *nat
            :PREROUTING ACCEPT [0:0]
            :KUBE-SERVICES - [0:0]
            :KUBE-POSTROUTING - [0:0]
            -A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
            COMMIT
            """;
    private static final String OURS = """
            *nat
            :POSTROUTING ACCEPT [0:0]
            :AWS-SNAT-CHAIN-0 - [0:0]
            -A POSTROUTING -m comment --comment "AWS SNAT CHAIN" -j AWS-SNAT-CHAIN-0
            -A AWS-SNAT-CHAIN-0 -d 10.9.0.0/16 -m comment --comment "AWS SNAT CHAIN" -j RETURN
            COMMIT
            """;
    private static final String BOTH = KUBE.replace("COMMIT\n", "") + OURS.replace("*nat\n", "");

    private static IptablesFacts facts(String legacy, String nft) {
        return new IptablesFacts(List.of(new IptablesFacts.Backend(IptablesMode.LEGACY, legacy, ""),
                new IptablesFacts.Backend(IptablesMode.NFT, nft, "")));
    }

    static Stream<Arguments> backends() {
        return Stream.of(
                Arguments.of("both in nft", "", BOTH, Finding.Severity.OK, "both use iptables-nft"),
                Arguments.of("kube-proxy in legacy, ours in nft", KUBE, OURS, Finding.Severity.PROBLEM,
                        "kube-proxy's rules are in iptables-legacy but aws-node's in iptables-nft"),
                Arguments.of("no kube-proxy chains", "", OURS, Finding.Severity.OK, "nothing to disagree with"),
                Arguments.of("ours nowhere", "", KUBE, Finding.Severity.WARNING, "no aws-node rules"),
                Arguments.of("ours in both", OURS, BOTH, Finding.Severity.WARNING, "in both backends"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void kubeProxyAndAwsNodeMustShareABackend(String name, String legacy, String nft, Finding.Severity severity, String summary) {
        var f = IptablesChecks.backend(facts(legacy, nft)).getFirst();
        assertEquals(severity, f.severity(), f.toString());
        assertTrue(f.summary().contains(summary), f.summary());
    }

    @Test
    void evidenceCountsChainsAndRulesPerBackendAndAnUnreadableOneIsNamed() {
        var facts = new IptablesFacts(List.of(new IptablesFacts.Backend(IptablesMode.LEGACY, "", "iptables-legacy-save cannot run"),
                new IptablesFacts.Backend(IptablesMode.NFT, BOTH, "")));
        var f = IptablesChecks.backend(facts).getFirst();
        assertEquals(List.of("iptables-legacy: unreadable (iptables-legacy-save cannot run)",
                "iptables-nft: 2 KUBE- chains (nat:KUBE-SERVICES, nat:KUBE-POSTROUTING); 2 aws-node rules (nat:AWS-SNAT-CHAIN-0)"), f.evidence());
    }

    static Stream<Arguments> forwards() {
        return Stream.of(
                Arguments.of("no filter table", "", Finding.Severity.OK),
                Arguments.of("policy ACCEPT", "*filter\n:FORWARD ACCEPT [0:0]\nCOMMIT\n", Finding.Severity.OK),
                Arguments.of("DROP, nothing accepts", "*filter\n:FORWARD DROP [0:0]\n-A FORWARD -j DOCKER-USER\n-A FORWARD -o docker0 -j ACCEPT\nCOMMIT\n",
                        Finding.Severity.WARNING),
                Arguments.of("DROP, pods' veths accepted", "*filter\n:FORWARD DROP [0:0]\n-A FORWARD -i eni+ -j ACCEPT\nCOMMIT\n", Finding.Severity.OK),
                Arguments.of("DROP, everything accepted", "*filter\n:FORWARD DROP [0:0]\n-A FORWARD -s 10.9.0.0/16 -j ACCEPT\nCOMMIT\n",
                        Finding.Severity.OK),
                Arguments.of("DROP, all but pods accepted", "*filter\n:FORWARD DROP [0:0]\n-A FORWARD ! -i eni+ -j ACCEPT\nCOMMIT\n",
                        Finding.Severity.WARNING));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("forwards")
    void aDropPolicyWithoutAnAcceptForPodsIsAWarning(String name, String save, Finding.Severity severity) {
        var f = IptablesChecks.forwardPolicy(facts("", save), "eni").getFirst();
        assertEquals(severity, f.severity(), f.toString());
        if (severity == Finding.Severity.WARNING) {
            assertEquals("iptables-nft filter FORWARD", f.object());
            assertTrue(f.fix().startsWith("iptables-nft -I FORWARD -i eni+ -j ACCEPT"), f.fix());
        }
    }
}
