package io.vpccni.ipamd.host;

import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.net.Route;
import io.vpccni.ipamd.net.Rule;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NatRulesTest {
    private static final List<IpPrefix> VPC = List.of(IpPrefix.of("10.0.0.0/16"), IpPrefix.of("100.64.0.0/16"));

    /**
     * Each row: settings, then what each table holds of ours. The counts are rules per chain:
     * SNAT chain, CONNMARK chain, nat PREROUTING, nat POSTROUTING, mangle PREROUTING, then the policy rules.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // externalSnat | nodePort | exclude              | snat | connmark | natPre | natPost | mangle | rules
            "false         | true     |                      | 3    | 3        | 3      | 1       | 3      | 1",
            "false         | false    |                      | 3    | 3        | 3      | 1       | 2      | 1",
            "false         | true     | 192.168.0.0/16       | 4    | 4        | 3      | 1       | 3      | 1",
            "false         | true     | 10.0.0.0/16          | 3    | 3        | 3      | 1       | 3      | 1",
            "true          | true     |                      | 0    | 0        | 0      | 0       | 3      | 1",
            "true          | false    |                      | 0    | 0        | 0      | 0       | 0      | 0"})
    void eachCombinationHoldsWhatItNeeds(boolean externalSnat, boolean nodePort, String exclude, int snat, int connmark,
                                         int natPre, int natPost, int mangle, int rules) {
        var env = new HashMap<String, String>();
        env.put("AWS_VPC_K8S_CNI_EXTERNALSNAT", Boolean.toString(externalSnat));
        env.put("AWS_VPC_CNI_NODE_PORT_SUPPORT", Boolean.toString(nodePort));
        if (exclude != null) {
            env.put("AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS", exclude);
        }
        var s = NatSettings.fromEnv(env, "eni");
        var t = NatRules.iptables(s, "ens5", IpPrefix.ipv4("10.0.0.10"), VPC, false);
        var nat = t.get("nat");
        assertEquals(snat, nat.chains().getOrDefault(NatRules.SNAT_CHAIN, List.of()).size());
        assertEquals(connmark, nat.chains().getOrDefault(NatRules.CONNMARK_CHAIN, List.of()).size());
        assertEquals(natPre, nat.builtIn().getOrDefault("PREROUTING", List.of()).size());
        assertEquals(natPost, nat.builtIn().getOrDefault("POSTROUTING", List.of()).size());
        assertEquals(mangle, t.get("mangle").builtIn().getOrDefault("PREROUTING", List.of()).size());
        assertEquals(rules, NatRules.policyRules(s).size());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "prng       | -j SNAT --to-source 10.0.0.10 --random-fully",
            "hashrandom | -j SNAT --to-source 10.0.0.10 --random",
            "none       | -j SNAT --to-source 10.0.0.10"})
    void snatPortModes(String mode, String target) {
        var s = NatSettings.fromEnv(Map.of("AWS_VPC_K8S_CNI_RANDOMIZESNAT", mode), "eni");
        var chain = NatRules.iptables(s, "ens5", IpPrefix.ipv4("10.0.0.10"), VPC, false).get("nat").chains().get(NatRules.SNAT_CHAIN);
        assertEquals("! -o vlan+ -m comment --comment \"AWS, SNAT\" -m addrtype ! --dst-type LOCAL " + target, chain.getLast());
    }

    @ParameterizedTest
    @CsvSource({"0x80,0x80", "0x4000,0x4000", "256,0x100"})
    void theMarkIsUsedEverywhereItMatters(String env, String hex) {
        var s = NatSettings.fromEnv(Map.of("AWS_VPC_K8S_CNI_CONNMARK", env, "AWS_EXTERNAL_SERVICE_CIDRS", "203.0.113.0/24"), "veth");
        var t = NatRules.iptables(s, "ens5", IpPrefix.ipv4("10.0.0.10"), VPC, false);
        assertEquals("-m comment --comment \"AWS, CONNMARK\" -j CONNMARK --set-xmark " + hex + "/" + hex,
                t.get("nat").chains().get(NatRules.CONNMARK_CHAIN).getLast());
        assertEquals("-i veth+ -m comment --comment \"AWS, primary ENI\" -j CONNMARK --restore-mark --nfmask " + hex
                + " --ctmask " + hex, t.get("mangle").builtIn().get("PREROUTING").get(1));
        var mark = Integer.decode(hex);
        assertEquals(List.of(new Rule(1024, null, null, Route.MAIN, mark, mark), Rule.to(1535, IpPrefix.of("203.0.113.0/24"), Route.MAIN)),
                NatRules.policyRules(s));
    }

    @org.junit.jupiter.api.Test
    void onNftNodesTheMarkingMovesToNftAndOnlyTheSnatStaysInIptables() {
        var s = NatSettings.fromEnv(Map.of("AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS", "192.168.0.0/16"), "eni");
        var nat = NatRules.iptables(s, "ens5", IpPrefix.ipv4("10.0.0.10"), VPC, true).get("nat");
        assertEquals(java.util.Set.of(NatRules.SNAT_CHAIN), nat.chains().keySet());
        assertEquals(java.util.Set.of("POSTROUTING"), nat.builtIn().keySet());
        var table = NftConnmark.table(s, VPC);
        assertEquals(List.of("\t\tip daddr 10.0.0.0/16 return", "\t\tip daddr 100.64.0.0/16 return", "\t\tip daddr 192.168.0.0/16 return",
                "\t\tct mark set ct mark | 0x00000080 meta mark set meta mark | 0x00000080"),
                table.lines().filter(l -> l.startsWith("\t\tip daddr") || l.startsWith("\t\tct mark")).toList());
        assertTrue(table.contains("type nat hook prerouting priority dstnat + 10;"), "after kube-proxy's DNAT: " + table);
        assertEquals("", NftConnmark.table(NatSettings.fromEnv(Map.of("AWS_VPC_K8S_CNI_EXTERNALSNAT", "true"), "eni"), VPC));
    }
}
