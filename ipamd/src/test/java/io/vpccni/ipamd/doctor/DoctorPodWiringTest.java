package io.vpccni.ipamd.doctor;

import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.net.Link;
import io.vpccni.ipamd.net.Route;
import io.vpccni.ipamd.net.Rule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.vpccni.ipamd.doctor.DoctorFixtures.kernel;
import static io.vpccni.ipamd.doctor.DoctorFixtures.pod;
import static io.vpccni.ipamd.doctor.DoctorFixtures.pods;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each pod is verified in the kernel on its own: every way its wiring can be broken is one named problem. */
class DoctorPodWiringTest {
    private static final PodsView.Pod WEB = pod("web-1", "10.9.1.50", 2, "eni1a2b3c4d5e6");
    private static final IpPrefix IP = IpPrefix.of("10.9.1.50/32");

    static Stream<Arguments> breakages() {
        return Stream.of(
                Arguments.of("rule 1536 flushed", (Consumer<DoctorFixtures.Kernel>) k -> k.rules.remove(Rule.from(1536, IP, 2)),
                        "pod-rules", "no rule \"1536: from 10.9.1.50 lookup 2\"", "ip rule add from 10.9.1.50/32 lookup 2 priority 1536"),
                Arguments.of("rule 512 flushed", (Consumer<DoctorFixtures.Kernel>) k -> k.rules.remove(Rule.to(512, IP, Route.MAIN)),
                        "pod-rules", "no rule \"512: from all to 10.9.1.50 lookup main\"", "ip rule add to 10.9.1.50/32 lookup main priority 512"),
                Arguments.of("rule 1536 into another table", (Consumer<DoctorFixtures.Kernel>) k -> {
                            k.rules.remove(Rule.from(1536, IP, 2));
                            k.rules.add(Rule.from(1536, IP, 3));
                        }, "pod-rules", "rules naming 10.9.1.50: 512: from all to 10.9.1.50 lookup main; 1536: from 10.9.1.50 lookup 3",
                        "lookup 2 priority 1536"),
                Arguments.of("host route gone", (Consumer<DoctorFixtures.Kernel>) k -> k.routes.removeIf(r -> r.dst().equals(IP)),
                        "pod-route", "main has no route for 10.9.1.50", "ip route replace 10.9.1.50/32 dev eni1a2b3c4d5e6 scope link"),
                Arguments.of("host route through another device", (Consumer<DoctorFixtures.Kernel>) k -> {
                            k.routes.removeIf(r -> r.dst().equals(IP));
                            k.routes.add(Route.link(IP, 6, Route.MAIN));
                        }, "pod-route", "main has instead: 10.9.1.50/32 dev ens6 table 254 scope link", "dev eni1a2b3c4d5e6"),
                Arguments.of("veth gone", (Consumer<DoctorFixtures.Kernel>) k -> k.links.removeIf(l -> l.name().equals("eni1a2b3c4d5e6")),
                        "pod-veth", "no link eni1a2b3c4d5e6", "kubectl delete pod -n default web-1"),
                Arguments.of("veth down", (Consumer<DoctorFixtures.Kernel>) k -> k.links.replaceAll(l -> l.name().equals("eni1a2b3c4d5e6")
                                ? new Link(l.index(), l.name(), l.mac(), l.mtu(), false, l.kind()) : l),
                        "pod-veth", "eni1a2b3c4d5e6 (index 100) is not up", "ip link set eni1a2b3c4d5e6 up"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("breakages")
    void eachBreakageIsOneProblemNamingThePodWhatIsMissingAndTheFix(String name, Consumer<DoctorFixtures.Kernel> breakage,
                                                                    String check, String evidence, String fix) {
        var k = kernel().wired(WEB);
        breakage.accept(k);
        var findings = PodWiringCheck.findings(pods(WEB), k.facts());
        var problems = findings.stream().filter(f -> f.severity() != Finding.Severity.OK).toList();
        assertEquals(1, problems.size(), findings.toString());
        var p = problems.getFirst();
        assertEquals(check, p.check());
        assertEquals(Finding.Severity.PROBLEM, p.severity());
        assertEquals("pod default/web-1", p.object());
        assertTrue(p.evidence().stream().anyMatch(e -> e.contains(evidence)), p.evidence().toString());
        assertTrue(p.evidence().stream().anyMatch(e -> e.startsWith("daemon: 10.9.1.50 on eni-0sec (device 1, table 2)")), p.evidence().toString());
        assertTrue(p.fix().contains(fix), p.fix());
        // The other aspects are still each one OK line for all pods.
        assertEquals(3, findings.stream().filter(f -> f.severity() == Finding.Severity.OK).count(), findings.toString());
    }

    @Test
    void healthyPodsAreOneOkPerAspectAndAPodOnThePrimaryEniNeedsNoRule1536() {
        var api = pod("api-0", "10.9.0.77", 254, "eni9f8e7d6c5b4");
        var findings = PodWiringCheck.findings(pods(WEB, api), kernel().wired(WEB).wired(api).facts());
        assertEquals(List.of("pod-rules", "pod-route", "pod-veth", "pod-drift"), findings.stream().map(Finding::check).toList());
        assertTrue(findings.stream().allMatch(f -> f.severity() == Finding.Severity.OK && f.object().equals("2 pods")), findings.toString());
        assertEquals(List.of("default/web-1 10.9.1.50 table 2", "default/api-0 10.9.0.77 table main"), findings.getFirst().evidence());
    }

    @Test
    void theDaemonsOwnDriftsAreReportedWithTheirObjects() {
        var drifted = new PodsView.Pod("default", "web-1", "c1", "eth0", "aws-cni", "10.9.1.50", "eni-0sec", 1, 2, "eni1a2b3c4d5e6", "t",
                new PodsView.Wiring("host", false, List.of(new PodsView.Drift("neighbour 169.254.1.1", "permanent 02:aa", "missing"))));
        var findings = PodWiringCheck.findings(pods(drifted), kernel().wired(WEB).facts());
        var drift = findings.stream().filter(f -> f.check().equals("pod-drift")).findFirst().orElseThrow();
        assertEquals(Finding.Severity.PROBLEM, drift.severity());
        assertEquals("daemon (host): neighbour 169.254.1.1: expected permanent 02:aa, found missing", drift.evidence().getFirst());
    }

    @Test
    void aMissingVethIsNotAlsoReportedAsAMissingRouteAndNoPodsIsOneOk() {
        var findings = PodWiringCheck.findings(pods(WEB), kernel().facts());
        assertEquals(List.of("pod-rules", "pod-veth"), findings.stream().filter(f -> f.severity() == Finding.Severity.PROBLEM)
                .map(Finding::check).toList());
        var none = PodWiringCheck.findings(pods(), kernel().facts());
        assertEquals(1, none.size());
        assertEquals(Finding.Severity.OK, none.getFirst().severity());
    }
}
