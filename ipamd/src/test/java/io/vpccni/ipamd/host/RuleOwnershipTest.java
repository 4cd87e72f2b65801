package io.vpccni.ipamd.host;

import io.vpccni.ipamd.net.IpPrefix;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which rules in built-in chains the daemon may rewrite: its own comments and jumps only, never a look-alike. */
class RuleOwnershipTest {
    private static final List<IpPrefix> VPC = List.of(IpPrefix.of("10.0.0.0/16"));

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // rule spec (as iptables-save prints it, after "-A <chain>")                                              | ours
            "-m comment --comment \"AWS SNAT CHAIN\" -j AWS-SNAT-CHAIN-0                                              | true",
            "-m comment --comment \"AWS SNAT CHAN\" -j AWS-SNAT-CHAIN-0                                               | true",
            "-i eni+ -m comment --comment \"AWS, outbound connections\" -j AWS-CONNMARK-CHAIN-0                       | true",
            "-i eni+ -m comment --comment \"AWS, outbound connections\" -m state --state NEW -j AWS-CONNMARK-CHAIN-0  | true",
            "-m comment --comment \"AWS, CONNMARK\" -j CONNMARK --restore-mark --nfmask 0x80 --ctmask 0x80            | true",
            "-i eth0 -m comment --comment \"AWS, primary ENI\" -m addrtype --dst-type LOCAL --limit-iface-in -j CONNMARK --set-xmark 0x80/0x80 | true",
            "-i eni+ -m comment --comment \"AWS, primary ENI\" -j CONNMARK --restore-mark --nfmask 0x80 --ctmask 0x80 | true",
            // a jump into one of our chains is ours whatever its comment says
            "-m comment --comment \"AWSome thing\" -j AWS-SNAT-CHAIN-1                                                | true",
            "-j AWS-CONNMARK-CHAIN-0                                                                                  | true",
            // look-alikes written by somebody else
            "-m comment --comment \"AWSome thing\" -j ACCEPT                                                          | false",
            "-m comment --comment AWS-LB-CONTROLLER -j MARK --set-xmark 0x4000/0x4000                                 | false",
            "-m comment --comment \"AWS-LB-CONTROLLER\" -j MARK --set-xmark 0x4000/0x4000                             | false",
            "-m comment --comment \"AWS, SNAT for my gateway\" -j SNAT --to-source 10.0.0.1                           | false",
            "-m comment --comment \"AWS SNAT CHAIN 2\" -j RETURN                                                      | false",
            "-m comment --comment \"not AWS, CONNMARK\" -j ACCEPT                                                     | false",
            "-m comment --comment \"kubernetes postrouting rules\" -j KUBE-POSTROUTING                               | false",
            "-j AWS-SNAT-CHAIN-X                                                                                      | false",
            "-j AWS-LB-CHAIN-0                                                                                        | false",
            "-m comment --comment \"says -j AWS-SNAT-CHAIN-0\" -j ACCEPT                                              | false"})
    void onlyOurExactCommentsAndChainsAreClaimed(String spec, boolean ours) {
        assertEquals(ours, IptablesPlan.isOurRule(spec.strip()), spec);
    }

    /** Every comment the daemon writes today is one it recognises later, whatever the settings. */
    @ParameterizedTest
    @ValueSource(strings = {"", "AWS_VPC_K8S_CNI_EXTERNALSNAT", "AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS"})
    void everyRuleWeWriteIsClaimed(String variable) {
        var env = switch (variable) {
            case "" -> Map.<String, String>of();
            case "AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS" -> Map.of(variable, "192.168.0.0/16");
            default -> Map.of(variable, "true");
        };
        var settings = NatSettings.fromEnv(env, "eni");
        for (var inNft : List.of(false, true)) {
            for (var table : NatRules.iptables(settings, "eth0", IpPrefix.ipv4("10.0.0.10"), VPC, inNft).values()) {
                table.builtIn().values().forEach(specs -> specs.forEach(s -> assertTrue(IptablesPlan.isOurRule(s), s)));
                table.chains().values().forEach(specs -> specs.forEach(s -> assertTrue(IptablesPlan.isOurRule(s), s)));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "-A POSTROUTING -m comment --comment \"AWSome thing\" -j MASQUERADE",
            "-A PREROUTING -m comment --comment AWS-LB-CONTROLLER -j MARK --set-xmark 0x4000/0x4000"})
    void aLookAlikeRuleIsNeitherCountedAsOursNorRemoved(String foreign) {
        var nat = NatRules.iptables(NatSettings.fromEnv(Map.of(), "eni"), "eth0", IpPrefix.ipv4("10.0.0.10"), VPC, false).get("nat");
        var save = "*nat\n:PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n" + foreign + "\nCOMMIT\n";
        assertEquals(1, IptablesPlan.foreignRules(save));
        assertEquals(0, IptablesPlan.ourRules(save));
        var plan = IptablesPlan.plan("nat", nat, save);
        assertFalse(plan.contains("-D "), "a foreign rule is never deleted: " + plan);
        var external = NatSettings.fromEnv(Map.of("AWS_VPC_K8S_CNI_EXTERNALSNAT", "true"), "eni");
        assertEquals("", IptablesPlan.plan("nat", NatRules.iptables(external, "eth0", IpPrefix.ipv4("10.0.0.10"), VPC, false)
                .get("nat"), save), "with nothing of ours wanted, nothing is written");
    }
}
