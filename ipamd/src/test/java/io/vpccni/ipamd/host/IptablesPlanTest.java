package io.vpccni.ipamd.host;

import io.vpccni.ipamd.net.IpPrefix;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IptablesPlanTest {
    private static final NatSettings DEFAULTS = NatSettings.fromEnv(Map.of(), "eni");
    private static final List<IpPrefix> VPC = List.of(IpPrefix.of("10.0.0.0/16"));
    private static final String KUBE = "-A POSTROUTING -m comment --comment \"kubernetes postrouting rules\" -j KUBE-POSTROUTING\n";

    private static NatRules.Table nat(NatSettings s, List<IpPrefix> vpc) {
        return NatRules.iptables(s, "eth0", IpPrefix.ipv4("10.0.0.10"), vpc, false).get("nat");
    }

    /** What iptables-save would print after applying {@code plan} to an empty table (enough for these tests). */
    private static String saved(String foreign, NatRules.Table t) {
        var out = new StringBuilder("*nat\n:PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n");
        t.chains().keySet().stream().sorted().forEach(c -> out.append(':').append(c).append(" - [0:0]\n"));
        out.append(foreign);
        t.builtIn().forEach((c, specs) -> specs.forEach(s -> out.append("-A ").append(c).append(' ').append(s).append('\n')));
        t.chains().forEach((c, specs) -> specs.forEach(s -> out.append("-A ").append(c).append(' ').append(s).append('\n')));
        return out.append("COMMIT\n").toString();
    }

    @Test
    void anEmptyTableGetsEveryChainAndJump() {
        var plan = IptablesPlan.plan("nat", nat(DEFAULTS, VPC), "*nat\n:PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n");
        assertTrue(plan.startsWith("*nat\n:AWS-CONNMARK-CHAIN-0 - [0:0]\n:AWS-SNAT-CHAIN-0 - [0:0]\n"), plan);
        assertTrue(plan.contains("-A AWS-SNAT-CHAIN-0 -d 10.0.0.0/16 -m comment --comment \"AWS SNAT CHAIN\" -j RETURN\n"), plan);
        assertTrue(plan.contains("-A POSTROUTING -m comment --comment \"AWS SNAT CHAIN\" -j AWS-SNAT-CHAIN-0\n"), plan);
        assertTrue(plan.endsWith("COMMIT\n"));
    }

    @Test
    void aTableThatAlreadyMatchesNeedsNoWrite() {
        assertEquals("", IptablesPlan.plan("nat", nat(DEFAULTS, VPC), saved(KUBE, nat(DEFAULTS, VPC))));
    }

    @Test
    void aNewVpcCidrRewritesOnlyOurChains() {
        var wider = List.of(IpPrefix.of("10.0.0.0/16"), IpPrefix.of("100.64.0.0/16"));
        var plan = IptablesPlan.plan("nat", nat(DEFAULTS, wider), saved(KUBE, nat(DEFAULTS, VPC)));
        assertTrue(plan.contains(":AWS-SNAT-CHAIN-0 - [0:0]\n") && plan.contains("-d 100.64.0.0/16"), plan);
        assertFalse(plan.contains("POSTROUTING"), "the jumps were right and stay: " + plan);
        assertFalse(plan.contains("KUBE"), plan);
    }

    @Test
    void externalSnatRemovesOurNatRulesAndChainsButNobodyElses() {
        var external = NatSettings.fromEnv(Map.of("AWS_VPC_K8S_CNI_EXTERNALSNAT", "true"), "eni");
        var plan = IptablesPlan.plan("nat", nat(external, VPC), saved(KUBE, nat(DEFAULTS, VPC)));
        assertTrue(plan.contains("-D POSTROUTING -m comment --comment \"AWS SNAT CHAIN\" -j AWS-SNAT-CHAIN-0\n"), plan);
        assertTrue(plan.contains("-F AWS-SNAT-CHAIN-0\n") && plan.contains("-X AWS-SNAT-CHAIN-0\n"), plan);
        assertTrue(plan.indexOf("-D POSTROUTING") < plan.indexOf("-X AWS-SNAT-CHAIN-0"), "jumps go before their chain: " + plan);
        assertFalse(plan.contains("KUBE"), plan);
    }

    @Test
    void chainsOfAnOlderLayoutAreRemoved() {
        var old = "*nat\n:POSTROUTING ACCEPT [0:0]\n:AWS-SNAT-CHAIN-0 - [0:0]\n:AWS-SNAT-CHAIN-1 - [0:0]\n"
                + "-A POSTROUTING -m comment --comment \"AWS SNAT CHAN\" -j AWS-SNAT-CHAIN-0\n"
                + "-A AWS-SNAT-CHAIN-0 ! -d 10.0.0.0/16 -m comment --comment \"AWS SNAT CHAN\" -j AWS-SNAT-CHAIN-1\n"
                + "-A AWS-SNAT-CHAIN-1 ! -o vlan+ -m comment --comment \"AWS, SNAT\" -m addrtype ! --dst-type LOCAL -j SNAT --to-source 10.0.0.10\n"
                + "COMMIT\n";
        var plan = IptablesPlan.plan("nat", nat(DEFAULTS, VPC), old);
        assertTrue(plan.contains("-D POSTROUTING -m comment --comment \"AWS SNAT CHAN\" -j AWS-SNAT-CHAIN-0\n"), plan);
        assertTrue(plan.contains("-F AWS-SNAT-CHAIN-1\n-X AWS-SNAT-CHAIN-1\n"), plan);
        assertTrue(plan.indexOf(":AWS-SNAT-CHAIN-0") < plan.indexOf("-X AWS-SNAT-CHAIN-1"),
                "chain 0 is emptied (dropping its jump to chain 1) before chain 1 goes: " + plan);
    }

    @Test
    void ourJumpsOutOfOrderAreRewrittenInOrder() {
        var t = nat(DEFAULTS, VPC);
        var pre = t.builtIn().get("PREROUTING");
        var swapped = new NatRules.Table(Map.of("PREROUTING", List.of(pre.get(2), pre.get(0), pre.get(1)),
                "POSTROUTING", t.builtIn().get("POSTROUTING")), t.chains());
        var plan = IptablesPlan.plan("nat", t, saved("", swapped));
        assertEquals(3, plan.lines().filter(l -> l.startsWith("-D PREROUTING")).count(), plan);
        var appends = plan.lines().filter(l -> l.startsWith("-A PREROUTING")).toList();
        assertEquals(pre.stream().map(s -> "-A PREROUTING " + s).toList(), appends);
    }

    @Test
    void foreignRulesIgnoreOursAndOursAreCountedApart() {
        assertEquals(1, IptablesPlan.foreignRules(saved(KUBE, nat(DEFAULTS, VPC))));
        assertEquals(0, IptablesPlan.foreignRules(saved("", nat(DEFAULTS, VPC))));
        assertEquals(8, IptablesPlan.ourRules(saved(KUBE, nat(DEFAULTS, VPC))), "4 in built-in chains, 4 in our chains");
    }

    @Test
    void modeFollowsTheBackendWithMoreForeignRules() {
        assertEquals(IptablesMode.LEGACY, IptablesMode.detect(5, 0, IptablesMode.NFT));
        assertEquals(IptablesMode.NFT, IptablesMode.detect(0, 3, IptablesMode.LEGACY));
        assertEquals(IptablesMode.LEGACY, IptablesMode.detect(0, 0, IptablesMode.LEGACY));
        assertEquals(IptablesMode.NFT, IptablesMode.detect(0, 0, null));
    }
}
