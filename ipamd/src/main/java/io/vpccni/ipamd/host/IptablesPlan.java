package io.vpccni.ipamd.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code iptables-restore --noflush} input that turns one table's current rules (as
 * {@code iptables-save -t <table>} printed them) into the desired {@link NatRules.Table}, touching only
 * what is ours: chains named {@code AWS-SNAT-CHAIN-<n>} or {@code AWS-CONNMARK-CHAIN-<n>} and rules in
 * other chains that carry one of {@link #OUR_COMMENTS} or jump to one of those chains. Chains of older layouts and
 * rules for features now switched off are removed in the same transaction, so the kernel never holds a
 * partial state. When the table already matches, the plan is empty and nothing is written.
 */
public final class IptablesPlan {
    private static final Pattern OUR_CHAIN = Pattern.compile("AWS-(SNAT|CONNMARK)-CHAIN-\\d+");
    /**
     * The exact comments this daemon and upstream's aws-node (every layout since the chained SNAT chains) put
     * on rules. Exact, not a prefix: other components (load-balancer controllers, operators' own rules) also
     * like comments that start with "AWS", and a rule of theirs must never be rewritten or deleted here.
     */
    static final Set<String> OUR_COMMENTS = Set.of(
            "AWS SNAT CHAIN", "AWS SNAT CHAN", "AWS SNAT CHAIN EXCLUSION", "AWS, SNAT",
            "AWS, outbound connections", "AWS, CONNMARK", "AWS, primary ENI",
            "AWS, CONNMARK CHAIN, VPC CIDR", "AWS CONNMARK CHAIN, VPC CIDR", "AWS CONNMARK CHAIN, EXCLUDED CIDR");
    /** A comment as iptables-save prints it: quoted (with \" and \\ escapes) when it has spaces, bare otherwise. */
    private static final Pattern COMMENT = Pattern.compile("--comment (?:\"((?:[^\"\\\\]|\\\\.)*)\"|(\\S+))");

    /** One table as iptables-save printed it: chains in order of declaration, rules per chain in order. */
    record Saved(Map<String, List<String>> chains) {
        static Saved parse(String save) {
            var chains = new LinkedHashMap<String, List<String>>();
            for (var line : save.split("\n")) {
                if (line.startsWith(":")) {
                    var end = line.indexOf(' ');
                    chains.putIfAbsent(end < 0 ? line.substring(1) : line.substring(1, end), new ArrayList<>());
                } else if (line.startsWith("-A ")) {
                    var end = line.indexOf(' ', 3);
                    if (end > 0) {
                        chains.computeIfAbsent(line.substring(3, end), c -> new ArrayList<>()).add(line.substring(end + 1));
                    }
                }
            }
            return new Saved(chains);
        }
    }

    private IptablesPlan() {
    }

    /** The restore input for {@code table}, or "" when the table already holds exactly what it should. */
    public static String plan(String table, NatRules.Table desired, String currentSave) {
        var current = Saved.parse(currentSave);
        var declare = new ArrayList<String>();
        var delete = new ArrayList<String>();
        var append = new ArrayList<String>();

        for (var chain : new java.util.TreeSet<>(desired.chains().keySet())) {
            var want = desired.chains().get(chain);
            if (!want.equals(current.chains().get(chain))) {
                declare.add(":" + chain + " - [0:0]");  // declaring a chain under --noflush empties it
                want.forEach(spec -> append.add("-A " + chain + " " + spec));
            }
        }
        var stale = new LinkedHashSet<String>();
        for (var entry : current.chains().entrySet()) {
            var chain = entry.getKey();
            if (isOurs(chain)) {
                if (!desired.chains().containsKey(chain)) {
                    stale.add(chain);
                }
                continue;
            }
            var ours = entry.getValue().stream().filter(IptablesPlan::isOurRule).toList();
            var want = desired.builtIn().getOrDefault(chain, List.of());
            if (!ours.equals(want)) {
                ours.forEach(spec -> delete.add("-D " + chain + " " + spec));
                want.forEach(spec -> append.add("-A " + chain + " " + spec));
            }
        }
        for (var chain : new java.util.TreeSet<>(desired.builtIn().keySet())) {
            if (!current.chains().containsKey(chain)) {
                desired.builtIn().get(chain).forEach(spec -> append.add("-A " + chain + " " + spec));
            }
        }
        if (declare.isEmpty() && delete.isEmpty() && stale.isEmpty() && append.isEmpty()) {
            return "";
        }
        var out = new StringBuilder("*").append(table).append('\n');
        declare.forEach(l -> out.append(l).append('\n'));
        delete.forEach(l -> out.append(l).append('\n'));
        stale.forEach(c -> out.append("-F ").append(c).append('\n'));
        stale.forEach(c -> out.append("-X ").append(c).append('\n'));
        append.forEach(l -> out.append(l).append('\n'));
        return out.append("COMMIT\n").toString();
    }

    /** How many rules in a full {@code iptables-save} are not ours: the evidence of which backend the node uses. */
    public static int foreignRules(String save) {
        return count(save, false);
    }

    /** How many rules in a full {@code iptables-save} are ours (in a backend the node does not use: to be removed). */
    public static int ourRules(String save) {
        return count(save, true);
    }

    private static int count(String save, boolean ours) {
        var count = 0;
        for (var line : save.split("\n")) {
            if (!line.startsWith("-A ")) {
                continue;
            }
            var end = line.indexOf(' ', 3);
            var chain = end < 0 ? line.substring(3) : line.substring(3, end);
            if ((isOurs(chain) || isOurRule(end < 0 ? "" : line.substring(end + 1))) == ours) {
                count++;
            }
        }
        return count;
    }

    static boolean isOurs(String chain) {
        return OUR_CHAIN.matcher(chain).matches();
    }

    static boolean isOurRule(String spec) {
        var comments = COMMENT.matcher(spec);
        while (comments.find()) {
            var text = comments.group(1) != null ? comments.group(1).replaceAll("\\\\(.)", "$1") : comments.group(2);
            if (OUR_COMMENTS.contains(text)) {
                return true;
            }
        }
        var jump = spec.lastIndexOf("-j ");
        if (jump < 0) {
            return false;
        }
        var target = spec.substring(jump + 3).split(" ", 2)[0];
        return isOurs(target);
    }
}
