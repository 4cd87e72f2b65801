package io.vpccni.ipamd.host;

import io.vpccni.ipamd.net.IpPrefix;

import java.util.List;

/**
 * On nodes whose rules are in nftables, the decision to mark a pod's connection for the primary ENI is made
 * in a native nft chain at priority {@code dstnat + 10}: after every DNAT (kube-proxy's, in iptables-nft or in
 * its own nftables table), so a Service address is judged by the pod it was translated to. iptables' nat
 * PREROUTING runs at the same priority as kube-proxy's nftables DNAT, in no defined order, which is upstream's
 * #3563. The table is written as {@code nft list table} prints it, so an unchanged table is recognised and
 * left alone.
 */
public final class NftConnmark {
    public static final String TABLE = "aws-cni";

    private NftConnmark() {
    }

    /** The table as {@code nft list table ip aws-cni} prints it, or "" when the node needs no connection marking here. */
    public static String table(NatSettings s, List<IpPrefix> vpcCidrs) {
        if (s.externalSnat()) {
            return "";
        }
        var noTranslation = s.untranslated(vpcCidrs);
        var mark = String.format("0x%08x", s.mark());
        var out = new StringBuilder("table ip " + TABLE + " {\n");
        out.append("\tcomment \"aws-vpc-cni: marks pod connections leaving the VPC, after DNAT\"\n");
        out.append("\tchain snat-mark {\n");
        for (var cidr : noTranslation) {
            out.append("\t\tip daddr ").append(cidr).append(" return\n");
        }
        out.append("\t\tct mark set ct mark | ").append(mark).append(" meta mark set meta mark | ").append(mark).append('\n');
        out.append("\t}\n\n");
        out.append("\tchain nat-prerouting {\n");
        out.append("\t\ttype nat hook prerouting priority dstnat + 10; policy accept;\n");
        out.append("\t\tiifname \"").append(s.vethPrefix()).append("*\" jump snat-mark\n");
        out.append("\t\tiifname \"vlan*\" jump snat-mark\n");
        out.append("\t}\n}\n");
        return out.toString();
    }

    /** The {@code nft -f} input that replaces whatever table is there with {@code table} ("" removes it), in one transaction. */
    public static String replacement(String table) {
        return "add table ip " + TABLE + "\ndelete table ip " + TABLE + "\n" + table;
    }
}
