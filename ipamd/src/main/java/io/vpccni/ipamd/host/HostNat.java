package io.vpccni.ipamd.host;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vpccni.ipamd.net.Errno;
import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.net.Netlink;
import io.vpccni.ipamd.net.NetlinkException;
import io.vpccni.ipamd.net.Route;
import io.vpccni.ipamd.net.Rule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet4Address;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Keeps the node's SNAT and CONNMARK rules and policy rules 1024/1535 as {@link NatRules} says, in the
 * iptables backend the node actually uses (on nft nodes with the marking in {@link NftConnmark}'s table,
 * after DNAT). {@link #reconcile} is cheap when nothing changed (it only reads),
 * so it runs at start and on a timer: a VPC CIDR added to the VPC, a kube-proxy that started on the other
 * backend, or a person deleting a rule all converge on the next pass.
 */
public final class HostNat {
    private static final Logger log = LoggerFactory.getLogger(HostNat.class);

    private final NatSettings settings;
    private final String primaryLink;
    private final Inet4Address primaryIp;
    private final Function<IptablesMode, Iptables> backends;
    private final Nft nft;
    private final Netlink host;
    private final Counter applied;
    private final Counter unchanged;
    private final Counter failed;
    private final Counter connmarkSuccess;
    private final Counter connmarkError;
    private volatile IptablesMode mode;
    private final Set<IptablesMode> deniedWarned = ConcurrentHashMap.newKeySet();
    private volatile List<IpPrefix> vpcCidrs = List.of();

    public HostNat(NatSettings settings, String primaryLink, Inet4Address primaryIp,
                   Function<IptablesMode, Iptables> backends, Nft nft, Netlink host, MeterRegistry metrics) {
        this.settings = settings;
        this.primaryLink = primaryLink;
        this.primaryIp = primaryIp;
        this.backends = backends;
        this.nft = nft;
        this.host = host;
        if (!primaryLink.matches("[A-Za-z0-9_.-]{1,15}")) {
            throw new IllegalArgumentException("primary interface name '" + primaryLink + "' is not a Linux interface name");
        }
        var reconciles = "awscni_nat_reconcile";
        var help = "passes that brought the node's SNAT and connection-marking rules in line, by result";
        this.applied = Counter.builder(reconciles).tag("result", "applied").description(help).register(metrics);
        this.unchanged = Counter.builder(reconciles).tag("result", "unchanged").description(help).register(metrics);
        this.failed = Counter.builder(reconciles).tag("result", "failed").description(help).register(metrics);
        // Upstream's names for the same reconcile: where new pod connections are marked, and how each pass ended.
        var connmarkHelp = "connection-marking reconciles, by result";
        this.connmarkSuccess = Counter.builder("awscni_connmark_reconcile_total").tag("result", "success")
                .description(connmarkHelp).register(metrics);
        this.connmarkError = Counter.builder("awscni_connmark_reconcile_total").tag("result", "error")
                .description(connmarkHelp).register(metrics);
        for (var backend : List.of("nftables", "iptables")) {
            Gauge.builder("awscni_connmark_backend", () -> backend.equals(connmarkBackend()) ? 1 : 0).tag("backend", backend)
                    .description("1 for where the daemon marks new pod connections").register(metrics);
        }
        for (var m : IptablesMode.values()) {
            Gauge.builder("awscni_iptables_mode", () -> m == mode ? 1 : 0).tag("mode", m.label())
                    .description("1 for the iptables backend the daemon writes its rules to").register(metrics);
        }
    }

    public NatSettings settings() {
        return settings;
    }

    /** The VPC's CIDRs as last applied: pods reach these untranslated. */
    public List<IpPrefix> vpcCidrs() {
        return vpcCidrs;
    }

    /** The policy rules this owns, for the rule healer. */
    public List<Rule> ownedRules() {
        return NatRules.policyRules(settings);
    }

    /** Brings iptables and the policy rules to what {@code cidrs} and the settings need; returns whether anything changed. */
    public synchronized boolean reconcile(List<IpPrefix> cidrs) throws IptablesException {
        try {
            var changed = applyIptables(cidrs) | applyPolicyRules();
            if (!cidrs.equals(vpcCidrs)) {
                log.info(settings.externalSnat()
                        ? "VPC CIDRs {}: pod traffic keeps pod addresses everywhere (external SNAT)"
                        : "VPC CIDRs {}: pod traffic to them keeps pod addresses, the rest leaves as {} through {}",
                        cidrs, primaryIp.getHostAddress(), primaryLink);
            }
            vpcCidrs = List.copyOf(cidrs);
            (changed ? applied : unchanged).increment();
            connmarkSuccess.increment();
            return changed;
        } catch (IptablesException | RuntimeException e) {
            failed.increment();
            connmarkError.increment();
            throw e;
        }
    }

    /** On nft nodes the marking is in our native nft table (after DNAT); elsewhere in iptables' nat table. */
    private String connmarkBackend() {
        return mode == IptablesMode.NFT ? "nftables" : "iptables";
    }

    private boolean applyIptables(List<IpPrefix> cidrs) throws IptablesException {
        var legacy = saveAll(backends.apply(IptablesMode.LEGACY));
        var nft = saveAll(backends.apply(IptablesMode.NFT));
        var chosen = IptablesMode.detect(IptablesPlan.foreignRules(legacy), IptablesPlan.foreignRules(nft), mode);
        if (chosen != mode) {
            log.info("iptables backend: {} (chosen from the rules already on the node)", chosen.label());
            mode = chosen;
        }
        var other = chosen == IptablesMode.NFT ? IptablesMode.LEGACY : IptablesMode.NFT;
        var changed = false;
        if (IptablesPlan.ourRules(chosen == IptablesMode.NFT ? legacy : nft) > 0) {
            // Written before the node's other components chose the other backend (here or by a previous daemon).
            log.info("removing our rules from iptables-{}: the node's rules are in iptables-{}", other.label(), chosen.label());
            changed = write(backends.apply(other), Map.of("nat", NatRules.Table.NONE, "mangle", NatRules.Table.NONE));
        }
        var inNft = chosen == IptablesMode.NFT;
        changed |= writeNftTable(inNft ? NftConnmark.table(settings, cidrs) : "", inNft);
        return write(backends.apply(chosen), NatRules.iptables(settings, primaryLink, primaryIp, cidrs, inNft)) | changed;
    }

    /** Our nft table as {@code wanted} says ("": none); a node without the nft tool cannot hold one, unless it must. */
    private boolean writeNftTable(String wanted, boolean required) throws IptablesException {
        String current;
        try {
            current = nft.listTable(NftConnmark.TABLE);
        } catch (IptablesException e) {
            if (required) {
                throw e;
            }
            log.debug("nft unavailable, so no table of ours to remove: {}", e.getMessage());
            return false;
        }
        if (current.equals(wanted)) {
            return false;
        }
        log.info(wanted.isEmpty() ? "nft: removing table ip {}" : "nft: writing table ip {} (connection marking after DNAT)",
                NftConnmark.TABLE);
        nft.apply(NftConnmark.replacement(wanted));
        return true;
    }

    private static boolean write(Iptables backend, Map<String, NatRules.Table> tables) throws IptablesException {
        var changed = false;
        for (var table : List.of("nat", "mangle")) {
            var plan = IptablesPlan.plan(table, tables.get(table), backend.save(table));
            if (!plan.isEmpty()) {
                log.info("iptables-{}: updating table {}:\n{}", backend.mode().label(), table, plan.strip());
                backend.restore(plan);
                changed = true;
            }
        }
        return changed;
    }

    /**
     * A backend that cannot even be read (its kernel modules absent) holds no rules of anyone's. One we may not read
     * is another matter: iptables-legacy needs CAP_NET_RAW, and without it the node's legacy rules look like none,
     * so the backend would be chosen wrong. That is said once, as a warning, naming the capability.
     */
    private String saveAll(Iptables backend) {
        try {
            return backend.saveAll();
        } catch (IptablesException e) {
            var message = String.valueOf(e.getMessage());
            if ((message.contains("Permission denied") || message.contains("Operation not permitted")) && deniedWarned.add(backend.mode())) {
                log.warn("iptables-{} cannot be read ({}): its rules count as none when choosing the backend; give the daemon's "
                        + "container CAP_NET_RAW", backend.mode().label(), message.strip());
            } else {
                log.debug("iptables-{} unreadable: {}", backend.mode().label(), message);
            }
            return "";
        }
    }

    private boolean applyPolicyRules() {
        var desired = NatRules.policyRules(settings);
        var changed = false;
        for (var rule : host.rules()) {
            var ours = rule.table() == Route.MAIN && (rule.priority() == NatRules.HOST_RULE_PRIORITY
                    || rule.priority() == NatRules.EXTERNAL_SERVICE_RULE_PRIORITY);
            if (ours && !desired.contains(rule)) {
                host.deleteRule(rule);
                log.info("removed {}: no setting asks for it now", rule);
                changed = true;
            }
        }
        for (var rule : desired) {
            try {
                host.addRule(rule);
                log.info("added {}", rule);
                changed = true;
            } catch (NetlinkException e) {
                if (!e.is(Errno.EEXIST)) {
                    throw e;
                }
            }
        }
        return changed;
    }
}
