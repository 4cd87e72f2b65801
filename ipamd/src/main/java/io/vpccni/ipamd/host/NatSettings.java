package io.vpccni.ipamd.host;

import io.vpccni.ipamd.config.Env;

import io.vpccni.ipamd.net.IpPrefix;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How the node translates and marks pod traffic, from the aws-node environment with upstream's names and
 * defaults. Every value is validated here, before any of it reaches iptables input or a netlink rule.
 *
 * @param externalSnat    AWS_VPC_K8S_CNI_EXTERNALSNAT: something outside the node (a NAT gateway) translates
 *                        pod traffic leaving the VPC, so the node does no SNAT
 * @param excludeSnatCidrs AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS: destinations outside the VPC that still see pod IPs
 * @param randomize       AWS_VPC_K8S_CNI_RANDOMIZESNAT: how SNAT picks source ports
 * @param mark            AWS_VPC_K8S_CNI_CONNMARK: the connection mark that sends replies out of the primary ENI
 * @param nodePortSupport AWS_VPC_CNI_NODE_PORT_SUPPORT: mark connections arriving on the primary ENI for local
 *                        addresses (NodePorts) so that replies from pods on secondary ENIs leave the way they came
 * @param externalServiceCidrs AWS_EXTERNAL_SERVICE_CIDRS: destinations pods reach through the main table (rule 1535)
 * @param vethPrefix      AWS_VPC_K8S_CNI_VETHPREFIX: the host side of every pod's veth starts with it
 */
public record NatSettings(boolean externalSnat, List<IpPrefix> excludeSnatCidrs, Randomize randomize, int mark,
                          boolean nodePortSupport, List<IpPrefix> externalServiceCidrs, String vethPrefix) {

    /** SNAT's source-port choice; the iptables option each mode adds to the SNAT target. */
    public enum Randomize {
        PRNG("--random-fully"), HASHRANDOM("--random"), NONE("");

        final String option;

        Randomize(String option) {
            this.option = option;
        }
    }

    public NatSettings {
        excludeSnatCidrs = List.copyOf(excludeSnatCidrs);
        externalServiceCidrs = List.copyOf(externalServiceCidrs);
        if (mark == 0) {
            throw new IllegalArgumentException("AWS_VPC_K8S_CNI_CONNMARK must not be 0: no connection would carry it");
        }
        if (!vethPrefix.matches("[A-Za-z0-9_-]{1,4}")) {
            throw new IllegalArgumentException("veth prefix '" + vethPrefix + "' must be 1 to 4 letters, digits, '-' or '_'");
        }
    }

    public static NatSettings fromEnv(Map<String, String> env, String vethPrefix) {
        return new NatSettings(
                Env.bool(env, "AWS_VPC_K8S_CNI_EXTERNALSNAT", false),
                Env.cidrs(env, "AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS"),
                randomize(env.getOrDefault("AWS_VPC_K8S_CNI_RANDOMIZESNAT", "prng")),
                mark(env.getOrDefault("AWS_VPC_K8S_CNI_CONNMARK", "0x80")),
                Env.bool(env, "AWS_VPC_CNI_NODE_PORT_SUPPORT", true),
                Env.cidrs(env, "AWS_EXTERNAL_SERVICE_CIDRS"),
                vethPrefix);
    }

    /** Whether pod connections need the mark at all: for SNAT through the primary ENI, or for NodePort replies. */
    public boolean marksConnections() {
        return nodePortSupport || !externalSnat;
    }

    /** Destinations pod traffic reaches with the pod's own address: the VPC's CIDRs, then the excluded ones. */
    public List<IpPrefix> untranslated(List<IpPrefix> vpcCidrs) {
        var out = new ArrayList<IpPrefix>();
        vpcCidrs.forEach(c -> out.add(c.network()));
        excludeSnatCidrs.stream().filter(c -> !out.contains(c)).forEach(out::add);
        return out;
    }

    /** The mark as iptables prints it, "0x80". */
    String markHex() {
        return "0x" + Integer.toHexString(mark);
    }

    static Randomize randomize(String raw) {
        return switch (raw.strip().toLowerCase(Locale.ROOT)) {
            case "prng", "" -> Randomize.PRNG;
            case "hashrandom" -> Randomize.HASHRANDOM;
            case "none" -> Randomize.NONE;
            default -> throw new IllegalArgumentException("AWS_VPC_K8S_CNI_RANDOMIZESNAT='" + raw + "' must be prng, hashrandom or none");
        };
    }

    /** A 32-bit mark, decimal or 0x-hex as upstream's strconv.ParseInt(s, 0, 64) reads it. */
    static int mark(String raw) {
        var text = raw.strip().toLowerCase(Locale.ROOT);
        try {
            long value = text.startsWith("0x") ? Long.parseLong(text.substring(2), 16) : Long.parseLong(text);
            if (value >= 0 && value <= 0xffff_ffffL) {
                return (int) value;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("AWS_VPC_K8S_CNI_CONNMARK='" + raw + "' must be a 32-bit mark such as 0x80");
    }
}
