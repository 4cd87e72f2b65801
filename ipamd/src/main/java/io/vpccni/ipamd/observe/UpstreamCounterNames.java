package io.vpccni.ipamd.observe;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Upstream's counters are named without {@code _total} (Go's client writes a counter's name as given), and
 * dashboards, alerts and cni-metrics-helper query those names. Prometheus's Java client always writes a counter
 * as {@code <name>_total} (its HELP, TYPE and samples); for upstream's counters this puts the name back, so the
 * exposition is what upstream's daemon serves. The daemon's own counters keep the {@code _total} Prometheus
 * recommends.
 */
final class UpstreamCounterNames {
    static final Set<String> NAMES = Set.of(
            "awscni_ipamd_error_count", "awscni_reconcile_count", "awscni_add_ip_req_count", "awscni_del_ip_req_count",
            "awscni_pod_eni_error_count", "awscni_aws_api_error_count", "awscni_aws_utils_error_count",
            "awscni_ec2api_req_count", "awscni_ec2api_error_count", "awscni_force_removed_enis",
            "awscni_force_removed_ips", "awscni_no_available_ip_addresses");

    private static final Pattern NAME = Pattern.compile(
            "^((?:# (?:HELP|TYPE) )?(?:" + String.join("|", NAMES) + "))_total(?=[{ ])", Pattern.MULTILINE);

    private UpstreamCounterNames() {
    }

    static String apply(String exposition) {
        return NAME.matcher(exposition).replaceAll("$1");
    }
}
