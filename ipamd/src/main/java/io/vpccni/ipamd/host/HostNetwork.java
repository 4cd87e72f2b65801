package io.vpccni.ipamd.host;

import io.micrometer.core.instrument.MeterRegistry;
import io.vpccni.ipamd.cloud.InstanceMetadata;
import io.vpccni.ipamd.cloud.MetadataException;
import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.net.Netlink;
import io.vpccni.ipamd.net.Rule;
import io.vpccni.ipamd.schedule.Scheduler;
import io.vpccni.ipamd.schedule.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * The node-wide half of host networking: sysctls once, then SNAT/CONNMARK kept in step with the VPC's
 * CIDRs (read from IMDS, where a CIDR added to the VPC shows up) every {@code interval}, as upstream does
 * every 30 s. A failed pass is logged and retried on the next; pods keep being served meanwhile.
 */
public final class HostNetwork implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HostNetwork.class);

    private final InstanceMetadata imds;
    private final HostNat nat;
    private final String primaryMac;
    private volatile Task loop;

    HostNetwork(InstanceMetadata imds, HostNat nat, String primaryMac) {
        this.imds = imds;
        this.nat = nat;
        this.primaryMac = primaryMac;
    }

    /**
     * Finds the primary interface, gives it the ENI MTU (AWS_VPC_ENI_MTU, as upstream does), applies the sysctls
     * and the first SNAT/CONNMARK pass.
     * @throws MetadataException when IMDS cannot say what the primary interface is
     */
    public static HostNetwork open(NatSettings settings, int eniMtu, boolean disableTcpEarlyDemux, InstanceMetadata imds,
                                   Netlink host, Sysctls sysctls, java.util.function.Function<IptablesMode, Iptables> backends,
                                   Nft nft, MeterRegistry metrics) throws MetadataException {
        var mac = imds.primaryMac();
        var link = host.linkByMac(mac).orElseThrow(() -> new IllegalStateException(
                "no interface on this node has the primary ENI's MAC " + mac));
        if (link.mtu() != eniMtu) {
            host.setMtu(link.name(), eniMtu);
            log.info("MTU of the primary interface {}: {} -> {} (AWS_VPC_ENI_MTU)", link.name(), link.mtu(), eniMtu);
        }
        try {
            sysctls.applyForNode(link.name(), disableTcpEarlyDemux);
        } catch (IOException e) {
            log.error("{}", e.getMessage());
        }
        var network = new HostNetwork(imds, new HostNat(settings, link.name(), IpPrefix.ipv4(imds.localIpv4()), backends, nft, host, metrics), mac);
        network.reconcile();
        return network;
    }

    public NatSettings settings() {
        return nat.settings();
    }

    public List<IpPrefix> vpcCidrs() {
        return nat.vpcCidrs();
    }

    /** Policy rules 1024/1535, for the rule healer. */
    public List<Rule> ownedRules() {
        return nat.ownedRules();
    }

    /** One pass; errors are logged, never thrown: the next pass retries. */
    public void reconcile() {
        try {
            var cidrs = imds.vpcIpv4CidrBlocks(primaryMac).stream().map(c -> IpPrefix.of(c).network()).distinct().toList();
            if (cidrs.isEmpty()) {
                log.warn("IMDS lists no VPC CIDR for {}: SNAT/CONNMARK left as they are", primaryMac);
                return;
            }
            nat.reconcile(cidrs);
        } catch (MetadataException | IptablesException | RuntimeException e) {
            log.error("SNAT/CONNMARK reconcile failed (retried on the next pass): {}", e.getMessage());
        }
    }

    /** Runs {@link #reconcile} on {@code scheduler} every {@code interval} until closed. */
    public void start(Scheduler scheduler, Duration interval) {
        loop = scheduler.every("host-network", interval, this::reconcile);
    }

    @Override
    public void close() {
        var t = loop;
        if (t != null) {
            t.cancel();
        }
    }
}
