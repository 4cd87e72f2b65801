package io.vpccni.ipamd.host;

import io.vpccni.ipamd.eni.EniHostWiring;
import io.vpccni.ipamd.net.Address;
import io.vpccni.ipamd.net.Errno;
import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.net.Netlink;
import io.vpccni.ipamd.net.NetlinkException;
import io.vpccni.ipamd.net.Route;
import io.vpccni.ipamd.net.Rule;
import io.vpccni.ipamd.pool.EniInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet4Address;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A secondary ENI on the host, as upstream lays it out: the link at the ENI MTU and up, its primary
 * address, a route table of its own ({@code <gateway>/32 scope link} and {@code default via <gateway>}),
 * no subnet route in main (the kernel adds one with the address), and rule 32765 {@code from <primary
 * address> lookup <table>}. Tear-down removes exactly these; the link itself goes with the detach.
 */
public final class KernelEniWiring implements EniHostWiring {
    private static final Logger log = LoggerFactory.getLogger(KernelEniWiring.class);
    public static final int ENI_RULE_PRIORITY = 32765;

    private record Wired(String link, IpPrefix address, Inet4Address gateway, int table, IpPrefix subnet) {
    }

    private final Netlink host;
    private final int mtu;
    private final Map<String, Wired> wired = new ConcurrentHashMap<>();

    public KernelEniWiring(Netlink host, int mtu) {
        this.host = host;
        this.mtu = mtu;
    }

    /** Rule 32765 of every ENI wired, for the rule healer. */
    public java.util.List<Rule> ownedRules() {
        return wired.values().stream().map(w -> Rule.from(ENI_RULE_PRIORITY, IpPrefix.host(w.address().address()), w.table())).toList();
    }

    /** Each wired ENI's primary address, for the healer (ENIs whose link is gone are left out). */
    public java.util.List<Address> ownedAddresses() {
        return wired.values().stream().flatMap(w -> host.link(w.link()).stream().map(l -> new Address(l.index(), w.address()))).toList();
    }

    /** Each wired ENI's route table: {@code <gateway>/32 scope link} and {@code default via <gateway>}. */
    public java.util.List<Route> ownedRoutes() {
        return wired.values().stream().flatMap(w -> host.link(w.link()).stream().flatMap(l -> java.util.stream.Stream.of(
                Route.link(IpPrefix.host(w.gateway()), l.index(), w.table()),
                Route.via(IpPrefix.DEFAULT, w.gateway(), l.index(), w.table())))).toList();
    }

    /** The first usable address of the subnet: the VPC router, every ENI's gateway. */
    static Inet4Address gateway(IpPrefix subnet) {
        var b = subnet.address().getAddress();
        var v = ((b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff)) + 1;
        return IpPrefix.ipv4(new byte[]{(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }

    @Override
    public void setUp(EniInfo eni, String linkName, String primaryIp, IpPrefix subnet) {
        var link = host.link(linkName).orElseThrow(() -> new NetlinkException("set up " + eni.eniId(), Errno.ENODEV,
                "no link " + linkName));
        var address = new IpPrefix(IpPrefix.ipv4(primaryIp), subnet.length());
        var gw = gateway(subnet);
        var table = eni.routeTableId();
        host.setMtu(linkName, mtu);
        host.setUp(linkName, true);
        for (var a : host.addresses()) {
            if (a.linkIndex() == link.index() && !a.prefix().equals(address)) {
                host.deleteAddress(linkName, a.prefix());  // only the ENI's primary address belongs here
            }
        }
        if (!host.addresses().contains(new Address(link.index(), address))) {
            host.addAddress(linkName, address);
        }
        host.replaceRoute(Route.link(IpPrefix.host(gw), link.index(), table));
        host.replaceRoute(Route.via(IpPrefix.DEFAULT, gw, link.index(), table));
        try {
            host.deleteRoute(Route.link(subnet, link.index(), Route.MAIN));
        } catch (NetlinkException e) {
            if (!e.is(Errno.ESRCH) && !e.is(Errno.ENOENT)) {
                throw e;
            }
        }
        try {
            host.addRule(Rule.from(ENI_RULE_PRIORITY, IpPrefix.host(address.address()), table));
        } catch (NetlinkException e) {
            if (!e.is(Errno.EEXIST)) {
                throw e;
            }
        }
        wired.put(eni.eniId(), new Wired(linkName, address, gw, table, subnet));
        log.info("{} on {}: {} with table {} via {}", eni.eniId(), linkName, address, table, gw.getHostAddress());
    }

    @Override
    public void tearDown(EniInfo eni) {
        var w = wired.remove(eni.eniId());
        if (w == null) {
            return;
        }
        quietly(() -> host.deleteRule(Rule.from(ENI_RULE_PRIORITY, IpPrefix.host(w.address().address()), w.table())));
        host.link(w.link()).ifPresent(link -> {
            quietly(() -> host.deleteRoute(Route.via(IpPrefix.DEFAULT, w.gateway(), link.index(), w.table())));
            quietly(() -> host.deleteRoute(Route.link(IpPrefix.host(w.gateway()), link.index(), w.table())));
            quietly(() -> host.deleteAddress(w.link(), w.address()));
        });
    }

    private static void quietly(Runnable step) {
        try {
            step.run();
        } catch (NetlinkException e) {
            if (!e.is(Errno.ENOENT) && !e.is(Errno.ESRCH) && !e.is(Errno.ENODEV) && !e.is(Errno.EADDRNOTAVAIL)) {
                log.warn("ENI tear-down: {}", e.getMessage());
            }
        }
    }
}
