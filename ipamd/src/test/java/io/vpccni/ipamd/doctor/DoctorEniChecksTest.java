package io.vpccni.ipamd.doctor;

import io.vpccni.ipamd.guard.Owner;
import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.net.Route;
import io.vpccni.ipamd.net.Rule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.vpccni.ipamd.doctor.DoctorFixtures.guard;
import static io.vpccni.ipamd.doctor.DoctorFixtures.kernel;
import static io.vpccni.ipamd.doctor.DoctorFixtures.primary;
import static io.vpccni.ipamd.doctor.DoctorFixtures.secondary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each ENI's owner against the guard's decision, and each secondary ENI's table and rule 32765. */
class DoctorEniChecksTest {
    private static final Owner NETWORKD = new Owner.Networkd("configured", "/etc/systemd/network/70-eks-ens6.network");
    private static final Owner NOBODY = new Owner.Nobody("no manager claims it");

    static Stream<Arguments> owners() {
        return Stream.of(
                Arguments.of(NOBODY, false, Finding.Severity.OK, "no other manager claims it"),
                Arguments.of(NETWORKD, false, Finding.Severity.PROBLEM, "yet the daemon offers it to pods"),
                Arguments.of(NETWORKD, true, Finding.Severity.PROBLEM, "the guard refuses this ENI"),
                Arguments.of(new Owner.NetworkdPredicted("/run/systemd/network/70-eks-ens6.network"), false, Finding.Severity.PROBLEM,
                        "systemd-networkd at its next reload"),
                Arguments.of(new Owner.NetworkManager("/run/NetworkManager/devices/6 has the device"), true, Finding.Severity.PROBLEM,
                        "NetworkManager"),
                Arguments.of(NOBODY, true, Finding.Severity.WARNING, "now looks unmanaged"));
    }

    @ParameterizedTest(name = "{0}, refused={1} -> {2}")
    @MethodSource("owners")
    void theOwnerSeenHereIsJudgedAgainstTheGuardsDecision(Owner owner, boolean refused, Finding.Severity severity, String summary) {
        var seen = new ObservedOwner("eni-0sec", "ens6", 6, owner, List.of("/run/systemd/netif/links/6: ADMIN_STATE=configured"));
        var findings = EniOwnerCheck.findings(guard(secondary(refused, refused ? "systemd-networkd" : "none")), Map.of("eni-0sec", seen));
        assertEquals(1, findings.size());
        var f = findings.getFirst();
        assertEquals(severity, f.severity(), f.toString());
        assertEquals("eni-0sec (ens6)", f.object());
        assertTrue(f.summary().contains(summary), f.summary());
        assertTrue(f.evidence().contains("/run/systemd/netif/links/6: ADMIN_STATE=configured"));
        assertTrue(f.evidence().getLast().startsWith("daemon /v1/guard: owner "), f.evidence().toString());
        if (severity == Finding.Severity.PROBLEM) {
            assertTrue(owner instanceof Owner.NetworkManager
                    ? f.fix().contains("unmanaged-devices=mac:02:00:00:00:00:06")
                    : f.fix().contains("MACAddress=02:00:00:00:00:06\\n\\n[Link]\\nUnmanaged=yes")
                    && f.fix().contains("/etc/systemd/network/01-aws-vpc-cni-eni-0sec.network")
                    && f.fix().contains("GUARD_WRITE_UNMANAGED_NETWORK_FILES=true"), f.fix());
        }
    }

    @Test
    void aManagedPrimaryIsExpected() {
        var seen = new ObservedOwner("eni-0prim", "ens5", 5, NETWORKD, List.of());
        var f = EniOwnerCheck.findings(guard(primary()), Map.of("eni-0prim", seen)).getFirst();
        assertEquals(Finding.Severity.OK, f.severity());
        assertTrue(f.summary().startsWith("the primary ENI"), f.summary());
    }

    @Test
    void restoredRulesAreAWarningNamingTheNetworkdSettingAndNothingRestoredIsOk() {
        assertEquals(Finding.Severity.OK, HealsCheck.findings(guard(primary())).getFirst().severity());
        var flushed = new GuardView(List.of(primary()), new GuardView.Heals(new GuardView.Restored(300, 0, 0),
                List.of(new GuardView.Heal("2026-01-01T00:00:01Z", "netlink: 150 rules removed", 150, 0, 0))));
        var f = HealsCheck.findings(flushed).getFirst();
        assertEquals(Finding.Severity.WARNING, f.severity());
        assertEquals(List.of("daemon: restored since start: 300 rules, 0 routes, 0 addresses",
                "daemon: at 2026-01-01T00:00:01Z (netlink: 150 rules removed): 150 rules, 0 routes, 0 addresses"), f.evidence());
        assertTrue(f.fix().contains("ManageForeignRoutingPolicyRules=no"), f.fix());
    }

    @Test
    void aSecondaryEniWithItsTableAndRuleIsOk() {
        var findings = EniRoutingCheck.findings(guard(primary(), secondary(false, "none")), kernel().facts());
        assertEquals(1, findings.size(), "the primary routes through main");
        assertEquals(Finding.Severity.OK, findings.getFirst().severity(), findings.toString());
        assertTrue(findings.getFirst().evidence().contains("kernel: rule \"32765: from 10.9.1.20 lookup 2\""), findings.toString());
    }

    @Test
    void aFlushedTableAndRuleAreOneProblemWithTheCommandsToPutThemBack() {
        var k = kernel();
        k.routes.removeIf(r -> r.table() == 2);
        k.rules.remove(Rule.from(32765, IpPrefix.of("10.9.1.20/32"), 2));
        var f = EniRoutingCheck.findings(guard(secondary(false, "none")), k.facts()).getFirst();
        assertEquals(Finding.Severity.PROBLEM, f.severity());
        assertEquals("table 2 has no default route; rule 32765: from 10.9.1.20 lookup 2 is missing: pods on this ENI cannot reach beyond their subnet",
                f.summary());
        assertTrue(f.evidence().contains("kernel: table 2 is empty"), f.evidence().toString());
        assertTrue(f.fix().contains("ip route replace default via 10.9.1.1 dev ens6 table 2; ip rule add from 10.9.1.20/32 lookup 2 priority 32765"), f.fix());
    }

    @Test
    void anEniWhoseAddressWasStrippedSaysSo() {
        var k = kernel();
        k.addresses.removeIf(a -> a.linkIndex() == 6);
        var f = EniRoutingCheck.findings(guard(secondary(false, "none")), k.facts()).getFirst();
        assertEquals(Finding.Severity.PROBLEM, f.severity());
        assertTrue(f.summary().startsWith("its primary address 10.9.1.20 is not on ens6"), f.summary());
    }

    @Test
    void anEniWithoutALinkIsAWarning() {
        var k = kernel();
        k.links.removeIf(l -> l.index() == 6);
        k.routes.removeIf(r -> r.oif() == 6 && r.table() == Route.MAIN);
        var f = EniRoutingCheck.findings(guard(secondary(false, "none")), k.facts()).getFirst();
        assertEquals(Finding.Severity.WARNING, f.severity());
    }
}
