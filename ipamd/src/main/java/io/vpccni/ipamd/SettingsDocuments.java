package io.vpccni.ipamd;

import io.vpccni.ipamd.host.NatSettings;
import io.vpccni.ipamd.net.IpPrefix;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Upstream's {@code /v1/ipamd-env-settings} and {@code /v1/networkutils-env-settings}: the settings as the daemon
 * took them (defaults applied), keyed by variable, with upstream's JSON types. The pool's document adds the
 * warm-pool settings upstream leaves out, under their variables' names.
 */
final class SettingsDocuments {
    private SettingsDocuments() {
    }

    static Map<String, Object> ipamd(Settings s) {
        var pool = s.pool();
        var out = new LinkedHashMap<String, Object>();
        out.put("AWS_MANAGE_ENIS_NON_SCHEDULABLE", s.cluster().manageWhenUnschedulable());
        out.put("AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG", s.cluster().customNetworking());
        out.put("ENABLE_PREFIX_DELEGATION", pool.prefixDelegation());
        out.put("ENABLE_SUBNET_DISCOVERY", s.cluster().subnetDiscovery());
        out.put("IP_COOLDOWN_PERIOD", pool.ipCooldownPeriod().toSeconds());
        out.put("MAX_ENI", pool.maxEni().isPresent() ? pool.maxEni().getAsInt() : -1);
        out.put("MINIMUM_IP_TARGET", pool.minimumIpTarget());
        out.put("WARM_ENI_TARGET", pool.warmEniTarget());
        out.put("WARM_IP_TARGET", pool.warmIpTarget());
        out.put("WARM_PREFIX_TARGET", pool.warmPrefixTarget());
        return out;
    }

    /** RANDOMIZESNAT as upstream's enum number: 0 none, 1 hashrandom, 2 prng. */
    static Map<String, Object> networkUtils(Settings s) {
        NatSettings nat = s.nat();
        var out = new LinkedHashMap<String, Object>();
        out.put("AWS_EXTERNAL_SERVICE_CIDRS", texts(nat.externalServiceCidrs()));
        out.put("AWS_VPC_CNI_NODE_PORT_SUPPORT", nat.nodePortSupport());
        out.put("AWS_VPC_ENI_MTU", s.eniMtu());
        out.put("AWS_VPC_K8S_CNI_CONNMARK", Integer.toUnsignedLong(nat.mark()));
        out.put("AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS", texts(nat.excludeSnatCidrs()));
        out.put("AWS_VPC_K8S_CNI_EXTERNALSNAT", nat.externalSnat());
        out.put("AWS_VPC_K8S_CNI_RANDOMIZESNAT", switch (nat.randomize()) {
            case NONE -> 0;
            case HASHRANDOM -> 1;
            case PRNG -> 2;
        });
        out.put("AWS_VPC_K8S_CNI_VETHPREFIX", s.daemon().vethPrefix());
        return out;
    }

    private static List<String> texts(List<IpPrefix> cidrs) {
        return cidrs.stream().map(IpPrefix::toString).toList();
    }
}
