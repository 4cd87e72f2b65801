package io.vpccni.ipamd.host;

import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.net.Route;
import io.vpccni.ipamd.net.Rule;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The iptables rules and policy rules the node needs for pod traffic, as pure data.
 *
 * <p>Pods reach the VPC with their own addresses. Anything else leaves SNATed to the primary ENI's
 * address, so it must leave through the primary ENI: {@code AWS-CONNMARK-CHAIN-0} marks such connections
 * from pods, the mangle table copies the mark onto every later packet, and rule 1024 sends marked packets
 * to the main table instead of their ENI's. NodePort connections arriving on the primary ENI get the same
 * mark so the pod's replies leave the way they came. Rules are written exactly as {@code iptables-save}
 * prints them, which is what lets {@link IptablesPlan} see that nothing needs to change.
 */
public final class NatRules {
    public static final String SNAT_CHAIN = "AWS-SNAT-CHAIN-0";
    public static final String CONNMARK_CHAIN = "AWS-CONNMARK-CHAIN-0";
    public static final int HOST_RULE_PRIORITY = 1024;
    public static final int EXTERNAL_SERVICE_RULE_PRIORITY = 1535;

    /** What one table should hold of ours: rules appended to built-in chains, and chains of our own. */
    public record Table(Map<String, List<String>> builtIn, Map<String, List<String>> chains) {
        public static final Table NONE = new Table(Map.of(), Map.of());

        public Table {
            builtIn = frozen(builtIn);
            chains = frozen(chains);
        }

        private static Map<String, List<String>> frozen(Map<String, List<String>> rules) {
            var copy = new java.util.HashMap<String, List<String>>();
            rules.forEach((chain, specs) -> copy.put(chain, List.copyOf(specs)));
            return Map.copyOf(copy);
        }
    }

    private NatRules() {
    }

    /**
     * Our rules by table ("nat", "mangle"); a table we need nothing in maps to {@link Table#NONE}.
     * @param connmarkInNft the marking of new connections is done by {@link NftConnmark} instead of nat PREROUTING
     */
    public static Map<String, Table> iptables(NatSettings s, String primaryLink, Inet4Address primaryIp, List<IpPrefix> vpcCidrs,
                                              boolean connmarkInNft) {
        var mark = s.markHex();
        var pods = s.vethPrefix() + "+";
        var noTranslation = s.untranslated(vpcCidrs);

        var nat = Table.NONE;
        if (!s.externalSnat()) {
            var snat = new ArrayList<String>();
            var connmark = new ArrayList<String>();
            for (var cidr : noTranslation) {
                snat.add("-d " + cidr + " -m comment --comment \"AWS SNAT CHAIN\" -j RETURN");
                connmark.add("-d " + cidr + " -m comment --comment \"AWS, CONNMARK CHAIN, VPC CIDR\" -j RETURN");
            }
            var random = s.randomize().option.isEmpty() ? "" : " " + s.randomize().option;
            snat.add("! -o vlan+ -m comment --comment \"AWS, SNAT\" -m addrtype ! --dst-type LOCAL -j SNAT --to-source "
                    + primaryIp.getHostAddress() + random);
            connmark.add("-m comment --comment \"AWS, CONNMARK\" -j CONNMARK --set-xmark " + mark + "/" + mark);
            var postrouting = List.of("-m comment --comment \"AWS SNAT CHAIN\" -j " + SNAT_CHAIN);
            nat = connmarkInNft ? new Table(Map.of("POSTROUTING", postrouting), Map.of(SNAT_CHAIN, snat)) : new Table(
                    Map.of("PREROUTING", List.of(
                                    "-i " + pods + " -m comment --comment \"AWS, outbound connections\" -j " + CONNMARK_CHAIN,
                                    "-i vlan+ -m comment --comment \"AWS, outbound connections\" -j " + CONNMARK_CHAIN,
                                    "-m comment --comment \"AWS, CONNMARK\" -j CONNMARK --restore-mark --nfmask " + mark + " --ctmask " + mark),
                            "POSTROUTING", postrouting),
                    Map.of(SNAT_CHAIN, snat, CONNMARK_CHAIN, connmark));
        }
        var mangle = Table.NONE;
        if (s.marksConnections()) {
            var prerouting = new ArrayList<String>();
            if (s.nodePortSupport()) {
                prerouting.add("-i " + primaryLink + " -m comment --comment \"AWS, primary ENI\" -m addrtype --dst-type LOCAL"
                        + " --limit-iface-in -j CONNMARK --set-xmark " + mark + "/" + mark);
            }
            for (var in : List.of(pods, "vlan+")) {
                prerouting.add("-i " + in + " -m comment --comment \"AWS, primary ENI\" -j CONNMARK --restore-mark --nfmask "
                        + mark + " --ctmask " + mark);
            }
            mangle = new Table(Map.of("PREROUTING", prerouting), Map.of());
        }
        return Map.of("nat", nat, "mangle", mangle);
    }

    /** Rule 1024 (marked packets use the main table) and rule 1535 per external service CIDR. */
    public static List<Rule> policyRules(NatSettings s) {
        var rules = new ArrayList<Rule>();
        if (s.marksConnections()) {
            rules.add(new Rule(HOST_RULE_PRIORITY, null, null, Route.MAIN, s.mark(), s.mark()));
        }
        for (var cidr : s.externalServiceCidrs()) {
            rules.add(Rule.to(EXTERNAL_SERVICE_RULE_PRIORITY, cidr, Route.MAIN));
        }
        return rules;
    }
}
