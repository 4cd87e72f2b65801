package io.vpccni.ipamd.host;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.net.NetNs;
import io.vpccni.ipamd.net.RtNetlink;
import io.vpccni.ipamd.pod.KernelPodWiring;
import io.vpccni.ipamd.pod.LinkReaper;
import io.vpccni.ipamd.pod.NetworkSettings;
import io.vpccni.ipamd.pod.PodNetworkRequest;
import io.vpccni.ipamd.pool.Allocation;
import io.vpccni.ipamd.pool.AttachmentKey;
import io.vpccni.ipamd.pool.PodIdentity;
import io.vpccni.ipamd.testing.Ip;
import io.vpccni.ipamd.testing.UdpEcho;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SNAT and CONNMARK on the real kernel, under iptables-legacy and iptables-nft, in the test's private
 * namespace standing in for the node. The node's other components are played by a "kube-proxy" rule
 * written first; the test reads the result back with the iptables tools themselves.
 */
@EnabledIfSystemProperty(named = "vpccni.netns", matches = "private", disabledReason = "needs root and test/bin/java-in-netns")
class HostNatIT {
    private static final List<IpPrefix> VPC = List.of(IpPrefix.of("10.0.0.0/16"));
    private static final String PRIMARY_IP = "10.0.0.10";

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final RtNetlink host = RtNetlink.open();

    @AfterEach
    void cleanUp() {
        host.close();
        for (var table : List.of(NftConnmark.TABLE, "kube-proxy")) {
            Ip.execQuietly(List.of("nft", "delete", "table", "ip", table));
        }
        for (var mode : IptablesMode.values()) {
            for (var table : List.of("nat", "mangle")) {
                iptables(mode, "-t", table, "-F");
                iptables(mode, "-t", table, "-X");
            }
        }
        for (var priority : List.of("512", "1024", "1535", "1536")) {
            while (Ip.run("rule", "show").contains(priority + ":")) {
                Ip.run("rule", "del", "priority", priority);
            }
        }
        for (var ns : List.of("outside", "vpcside", "pod")) {
            Ip.quietly("netns", "del", ns);
        }
        for (var link : List.of("eth0", "ens6")) {
            Ip.quietly("link", "del", link);
        }
        Ip.quietly("route", "flush", "table", "2");
    }

    private HostNat hostNat(Map<String, String> env) {
        return new HostNat(NatSettings.fromEnv(env, "eni"), "eth0", IpPrefix.ipv4(PRIMARY_IP), ProcessIptables::new,
                Nft.PROCESS, host, metrics);
    }

    private static String iptables(IptablesMode mode, String... args) {
        var cmd = new java.util.ArrayList<>(List.of("iptables-" + mode.label()));
        cmd.addAll(List.of(args));
        return Ip.exec(cmd);
    }

    private static String save(IptablesMode mode) {
        return Ip.exec(List.of("iptables-" + mode.label() + "-save")).lines()
                .filter(l -> !l.startsWith("#")).reduce("", (a, b) -> a + b + "\n");
    }

    /** kube-proxy's first rules: what tells the daemon which backend the node uses. */
    private static void kubeProxyOn(IptablesMode mode) {
        iptables(mode, "-t", "nat", "-N", "KUBE-POSTROUTING");
        iptables(mode, "-t", "nat", "-A", "POSTROUTING", "-m", "comment", "--comment", "kubernetes postrouting rules",
                "-j", "KUBE-POSTROUTING");
    }

    @ParameterizedTest
    @EnumSource(IptablesMode.class)
    void defaultsWriteUpstreamsLayoutOnceAndReapplyingChangesNothing(IptablesMode mode) throws Exception {
        kubeProxyOn(mode);
        var nat = hostNat(Map.of());
        assertTrue(nat.reconcile(VPC));

        var rules = save(mode);
        assertTrue(rules.contains("-A POSTROUTING -m comment --comment \"kubernetes postrouting rules\" -j KUBE-POSTROUTING\n"
                + "-A POSTROUTING -m comment --comment \"AWS SNAT CHAIN\" -j AWS-SNAT-CHAIN-0\n"), "ours after kube-proxy's: " + rules);
        assertTrue(rules.contains("-A AWS-SNAT-CHAIN-0 -d 10.0.0.0/16 -m comment --comment \"AWS SNAT CHAIN\" -j RETURN\n"
                + "-A AWS-SNAT-CHAIN-0 ! -o vlan+ -m comment --comment \"AWS, SNAT\" -m addrtype ! --dst-type LOCAL -j SNAT --to-source 10.0.0.10 --random-fully\n"), rules);
        if (mode == IptablesMode.LEGACY) {
            assertTrue(rules.contains("-A PREROUTING -i eni+ -m comment --comment \"AWS, outbound connections\" -j AWS-CONNMARK-CHAIN-0\n"), rules);
            assertTrue(rules.contains("-A AWS-CONNMARK-CHAIN-0 -m comment --comment \"AWS, CONNMARK\" -j CONNMARK --set-xmark 0x80/0x80\n"), rules);
            assertEquals("", nftTable());
        } else {
            assertFalse(rules.contains("AWS-CONNMARK-CHAIN-0"), "the marking is in nft, after DNAT: " + rules);
            assertEquals(NftConnmark.table(NatSettings.fromEnv(Map.of(), "eni"), VPC), nftTable());
        }
        assertTrue(rules.contains("-A PREROUTING -i eth0 -m comment --comment \"AWS, primary ENI\" -m addrtype --dst-type LOCAL --limit-iface-in -j CONNMARK --set-xmark 0x80/0x80\n"), rules);
        assertTrue(Ip.run("rule", "show").contains("1024:\tfrom all fwmark 0x80/0x80 lookup main"), Ip.run("rule", "show"));
        var other = save(mode == IptablesMode.NFT ? IptablesMode.LEGACY : IptablesMode.NFT);
        assertFalse(other.contains("AWS"), "nothing of ours in the backend the node does not use: " + other);
        assertEquals(1.0, metrics.get("awscni_iptables_mode").tag("mode", mode.label()).gauge().value());

        var counters = Ip.exec(List.of("iptables-" + mode.label() + "-save", "-c"));
        assertFalse(nat.reconcile(VPC), "a second pass finds nothing to do");
        assertFalse(hostNat(Map.of()).reconcile(VPC), "nor does a restarted daemon");
        assertEquals(strip(counters), strip(Ip.exec(List.of("iptables-" + mode.label() + "-save", "-c"))),
                "not even rewritten: the counters are the same");
        assertEquals(2.0, metrics.get("awscni_nat_reconcile").tag("result", "unchanged").counter().count());
    }

    private static String nftTable() {
        var tables = Ip.exec(List.of("nft", "list", "tables", "ip"));
        return tables.contains("table ip " + NftConnmark.TABLE + "\n")
                ? Ip.exec(List.of("nft", "list", "table", "ip", NftConnmark.TABLE)) : "";
    }

    private static String strip(String save) {
        return save.lines().filter(l -> !l.startsWith("#")).reduce("", (a, b) -> a + b + "\n");
    }

    @ParameterizedTest
    @EnumSource(IptablesMode.class)
    void everySettingIsHonouredAndSwitchingOneOffRemovesWhatItNeeded(IptablesMode mode) throws Exception {
        kubeProxyOn(mode);
        hostNat(Map.of()).reconcile(VPC);

        hostNat(Map.of("AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS", "192.168.0.0/16", "AWS_VPC_K8S_CNI_RANDOMIZESNAT", "hashrandom",
                "AWS_VPC_K8S_CNI_CONNMARK", "0x4000", "AWS_EXTERNAL_SERVICE_CIDRS", "203.0.113.0/24")).reconcile(VPC);
        var rules = save(mode);
        assertTrue(rules.contains("-A AWS-SNAT-CHAIN-0 -d 192.168.0.0/16 -m comment --comment \"AWS SNAT CHAIN\" -j RETURN\n"), rules);
        assertTrue(rules.contains("-j SNAT --to-source 10.0.0.10 --random\n"), rules);
        assertTrue(rules.contains("--set-xmark 0x4000/0x4000") && !rules.contains("0x80"), rules);
        var ipRules = Ip.run("rule", "show");
        assertTrue(ipRules.contains("1024:\tfrom all fwmark 0x4000/0x4000 lookup main") && !ipRules.contains("0x80/0x80"), ipRules);
        assertTrue(ipRules.contains("1535:\tfrom all to 203.0.113.0/24 lookup main"), ipRules);

        hostNat(Map.of("AWS_VPC_K8S_CNI_EXTERNALSNAT", "true")).reconcile(VPC);
        rules = save(mode);
        assertFalse(rules.contains("AWS-SNAT-CHAIN") || rules.contains("AWS-CONNMARK-CHAIN"), rules);
        assertEquals("", nftTable(), "no marking for SNAT when the node does none");
        assertTrue(rules.contains("-A PREROUTING -i eth0 -m comment --comment \"AWS, primary ENI\""), "NodePort marking stays: " + rules);
        assertTrue(rules.contains("KUBE-POSTROUTING"), "kube-proxy's rules are untouched: " + rules);
        assertFalse(Ip.run("rule", "show").contains("1535:"));

        hostNat(Map.of("AWS_VPC_K8S_CNI_EXTERNALSNAT", "true", "AWS_VPC_CNI_NODE_PORT_SUPPORT", "false")).reconcile(VPC);
        rules = save(mode);
        assertFalse(rules.contains("AWS"), rules);
        assertFalse(Ip.run("rule", "show").contains("1024:"));
    }

    @ParameterizedTest
    @EnumSource(IptablesMode.class)
    void aNewVpcCidrAndAnOlderLayoutAreReconciledInOneTransaction(IptablesMode mode) throws Exception {
        kubeProxyOn(mode);
        Ip.exec(List.of("sh", "-c", "printf '%s\\n' '*nat' ':AWS-SNAT-CHAIN-0 - [0:0]' ':AWS-SNAT-CHAIN-1 - [0:0]'"
                + " '-A POSTROUTING -m comment --comment \"AWS SNAT CHAIN\" -j AWS-SNAT-CHAIN-0'"
                + " '-A AWS-SNAT-CHAIN-0 ! -d 10.0.0.0/16 -m comment --comment \"AWS SNAT CHAIN\" -j AWS-SNAT-CHAIN-1'"
                + " '-A AWS-SNAT-CHAIN-1 -j SNAT --to-source 10.0.0.10' COMMIT | iptables-" + mode.label() + "-restore --noflush"));
        var nat = hostNat(Map.of());
        nat.reconcile(VPC);
        assertFalse(save(mode).contains("AWS-SNAT-CHAIN-1"), save(mode));

        nat.reconcile(List.of(IpPrefix.of("10.0.0.0/16"), IpPrefix.of("100.64.0.0/16")));
        var rules = save(mode);
        assertTrue(rules.contains("-A AWS-SNAT-CHAIN-0 -d 100.64.0.0/16 -m comment --comment \"AWS SNAT CHAIN\" -j RETURN\n"), rules);
        assertTrue(mode == IptablesMode.LEGACY ? rules.contains("-A AWS-CONNMARK-CHAIN-0 -d 100.64.0.0/16")
                : nftTable().contains("ip daddr 100.64.0.0/16 return"), rules + nftTable());
        assertEquals(1, rules.lines().filter(l -> l.contains("-j AWS-SNAT-CHAIN-0")).count(), rules);
        assertEquals(List.of(IpPrefix.of("10.0.0.0/16"), IpPrefix.of("100.64.0.0/16")), nat.vpcCidrs());
    }

    @Test
    void ourRulesFollowKubeProxyWhenItStartsLaterOnTheOtherBackend() throws Exception {
        var nat = hostNat(Map.of());
        nat.reconcile(VPC);  // nothing on the node yet: nft, the default of the distributions networkd runs on
        assertTrue(save(IptablesMode.NFT).contains("AWS-SNAT-CHAIN-0"));

        kubeProxyOn(IptablesMode.LEGACY);
        assertTrue(nat.reconcile(VPC));
        assertTrue(save(IptablesMode.LEGACY).contains("-j AWS-SNAT-CHAIN-0"), save(IptablesMode.LEGACY));
        assertFalse(save(IptablesMode.NFT).contains("AWS"), "moved, not copied: " + save(IptablesMode.NFT));
        assertEquals("", nftTable(), "the nft marking goes too: legacy marks in nat PREROUTING");
        assertTrue(save(IptablesMode.LEGACY).contains("-j AWS-CONNMARK-CHAIN-0"));
        assertEquals(1.0, metrics.get("awscni_iptables_mode").tag("mode", "legacy").gauge().value());
        assertEquals(0.0, metrics.get("awscni_iptables_mode").tag("mode", "nft").gauge().value());
    }

    @Test
    void aRestartedDaemonRemovesWhatAnEarlierOneLeftInTheBackendTheNodeNoLongerUses() throws Exception {
        hostNat(Map.of()).reconcile(VPC);  // nothing else on the node: nft
        kubeProxyOn(IptablesMode.LEGACY);  // then kube-proxy starts on legacy while the daemon is down
        assertTrue(hostNat(Map.of()).reconcile(VPC));
        assertTrue(save(IptablesMode.LEGACY).contains("-j AWS-SNAT-CHAIN-0"), save(IptablesMode.LEGACY));
        assertFalse(save(IptablesMode.NFT).contains("AWS"), save(IptablesMode.NFT));
        assertEquals("", nftTable());
    }

    /**
     * The node as the traffic tests need it: the primary ENI {@code eth0} leads to "outside" (the VPC router
     * 10.0.0.1 and, behind it, 198.51.100.1 outside the VPC); the secondary ENI {@code ens6} (table 2) leads to
     * "vpcside" (router 10.0.1.1 and the VPC host 10.0.1.99, which reaches pods through ens6, and nothing outside
     * the VPC); pod 10.0.1.5 is wired on ens6.
     */
    private void nodeWithAPodOnASecondaryEni(LinkReaper reaper) throws IOException {
        Files.writeString(Path.of("/proc/sys/net/ipv4/ip_forward"), "1");  // this namespace's, not the host's
        Ip.run("netns", "add", "outside");
        Ip.run("link", "add", "eth0", "type", "veth", "peer", "name", "wan0", "netns", "outside");
        Ip.run("addr", "add", PRIMARY_IP + "/24", "dev", "eth0");
        Ip.run("link", "set", "eth0", "up");
        Ip.run("route", "add", "default", "via", "10.0.0.1", "dev", "eth0");
        Ip.in("outside", "addr", "add", "10.0.0.1/24", "dev", "wan0");
        Ip.in("outside", "link", "set", "wan0", "up");
        Ip.in("outside", "link", "set", "lo", "up");
        Ip.in("outside", "addr", "add", "198.51.100.1/32", "dev", "lo");
        Ip.run("netns", "add", "vpcside");
        Ip.run("link", "add", "ens6", "type", "veth", "peer", "name", "ens6p", "netns", "vpcside");
        Ip.run("addr", "add", "10.0.1.20/24", "dev", "ens6");
        Ip.run("link", "set", "ens6", "up");
        Ip.in("vpcside", "addr", "add", "10.0.1.1/24", "dev", "ens6p");
        Ip.in("vpcside", "link", "set", "ens6p", "up");
        Ip.in("vpcside", "link", "set", "lo", "up");
        Ip.in("vpcside", "addr", "add", "10.0.1.99/32", "dev", "lo");
        Ip.in("vpcside", "route", "add", "10.0.1.5/32", "via", "10.0.1.20");  // the VPC delivers the pod's address to its ENI
        Ip.run("route", "del", "10.0.1.0/24", "dev", "ens6");  // as KernelEniWiring does: the subnet is reached through table 2
        Ip.run("route", "add", "10.0.1.1", "dev", "ens6", "scope", "link", "table", "2");
        Ip.run("route", "add", "default", "via", "10.0.1.1", "dev", "ens6", "table", "2");
        Ip.run("netns", "add", "pod");
        var request = new PodNetworkRequest(new AttachmentKey("aws-cni", "cid-egress", "eth0"),
                new PodIdentity("default", "egress", "uid-egress", "cid-egress"), "/run/netns/pod", NetworkSettings.defaults(), null);
        new KernelPodWiring(host, NetNs.current(), RtNetlink::openIn, reaper, "eni", new io.vpccni.ipamd.owned.OwnershipRegistry())
                .setUp(request, new Allocation(request.key(), request.pod(), IpPrefix.ipv4("10.0.1.5"), 1, 2));
    }

    /**
     * A pod on a secondary ENI talks to an address outside the VPC, which only the primary ENI's side can
     * reach: the exchange works only if the connection is marked, routed out of the primary ENI by rule 1024,
     * and translated to the primary address (the outside has no route back to the pod). With external SNAT
     * the node does none of that and the same exchange fails.
     */
    @ParameterizedTest
    @EnumSource(IptablesMode.class)
    void aPodOnASecondaryEniReachesTheOutsideAsThePrimaryAddress(IptablesMode mode) throws Exception {
        kubeProxyOn(mode);
        try (var reaper = new LinkReaper(RtNetlink.open())) {
            nodeWithAPodOnASecondaryEni(reaper);
            hostNat(Map.of("AWS_VPC_K8S_CNI_EXTERNALSNAT", "true")).reconcile(VPC);
            assertNull(senderSeenOutside(), "with external SNAT the node leaves the packet to the ENI's table");

            hostNat(Map.of()).reconcile(VPC);
            assertEquals(PRIMARY_IP, senderSeenOutside());
            var conntrack = Ip.exec(List.of("conntrack", "-L", "-p", "udp", "-d", "198.51.100.1"));
            assertTrue(conntrack.contains("src=10.0.1.5") && conntrack.contains("dst=10.0.0.10") && conntrack.contains("mark=128"), conntrack);
        }
    }

    /**
     * Upstream's #3563: kube-proxy in nftables mode translates a Service address at priority dstnat, where
     * iptables' nat PREROUTING also runs. Our marking runs after it, so a pod on a secondary ENI reaching a
     * Service whose endpoint is in the VPC keeps its own address and its ENI (marked, it would leave through
     * the primary ENI, where the endpoint cannot be reached).
     */
    @Test
    void aServiceAddressIsJudgedByTheEndpointItIsTranslatedTo() throws Exception {
        Ip.exec(List.of("nft", "add table ip kube-proxy; add chain ip kube-proxy nat-prerouting"
                + " { type nat hook prerouting priority dstnat; }; add rule ip kube-proxy nat-prerouting ip daddr 172.20.0.10 dnat to 10.0.1.99"));
        try (var reaper = new LinkReaper(RtNetlink.open())) {
            nodeWithAPodOnASecondaryEni(reaper);
            hostNat(Map.of()).reconcile(VPC);  // no iptables rules on the node: nft, as with kube-proxy in nftables mode
            try (var pod = NetNs.open(Path.of("/run/netns/pod")); var vpc = NetNs.open(Path.of("/run/netns/vpcside"))) {
                assertEquals("10.0.1.5", UdpEcho.exchange(pod, vpc, "10.0.1.99", "172.20.0.10", 1500));
            }
            var conntrack = Ip.exec(List.of("conntrack", "-L", "-p", "udp", "-d", "172.20.0.10"));
            assertTrue(conntrack.contains("src=10.0.1.99") && conntrack.contains("mark=0"), conntrack);
        }
    }

    /** The source address a UDP packet from the pod to 198.51.100.1 arrives with outside, or null if it never arrives. */
    private static String senderSeenOutside() {
        try (var outside = NetNs.open(Path.of("/run/netns/outside")); var pod = NetNs.open(Path.of("/run/netns/pod"))) {
            return UdpEcho.exchange(pod, outside, "198.51.100.1", 1500);
        }
    }
}
