package io.vpccni.ipamd.doctor;

import io.vpccni.ipamd.net.Address;
import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.net.Link;
import io.vpccni.ipamd.net.NetNs;
import io.vpccni.ipamd.net.Netlink;
import io.vpccni.ipamd.net.Neighbour;
import io.vpccni.ipamd.net.Route;
import io.vpccni.ipamd.net.Rule;

import java.util.List;
import java.util.Optional;

/** A kernel that only lists what a crafted {@link DoctorFixtures.Kernel} holds: the doctor never writes. */
final class ListedKernel implements Netlink {
    private final KernelFacts k;

    ListedKernel(KernelFacts k) {
        this.k = k;
    }

    @Override public List<Link> links() { return k.links(); }
    @Override public Optional<Link> link(String name) { return k.link(name); }
    @Override public Optional<Link> link(int index) { return k.links().stream().filter(l -> l.index() == index).findFirst(); }
    @Override public Optional<Link> linkByMac(String mac) { return k.linkByMac(mac); }
    @Override public List<Address> addresses() { return k.addresses(); }
    @Override public List<Route> routes(int table) { return table == 0 ? k.routes() : k.table(table); }
    @Override public List<Rule> rules() { return k.rules(); }
    @Override public List<Neighbour> neighbours(int linkIndex) { return List.of(); }
    @Override public void createVeth(String name, String peerName, NetNs peerNs, int mtu, String peerMac) { throw readOnly(); }
    @Override public void setUp(String name, boolean up) { throw readOnly(); }
    @Override public void setMtu(String name, int mtu) { throw readOnly(); }
    @Override public void setMac(String name, String mac) { throw readOnly(); }
    @Override public void moveTo(String name, NetNs ns) { throw readOnly(); }
    @Override public void deleteLink(String name) { throw readOnly(); }
    @Override public void deleteLink(int index) { throw readOnly(); }
    @Override public void addAddress(String link, IpPrefix prefix) { throw readOnly(); }
    @Override public void deleteAddress(String link, IpPrefix prefix) { throw readOnly(); }
    @Override public void addRoute(Route route) { throw readOnly(); }
    @Override public void replaceRoute(Route route) { throw readOnly(); }
    @Override public void deleteRoute(Route route) { throw readOnly(); }
    @Override public void addRule(Rule rule) { throw readOnly(); }
    @Override public void deleteRule(Rule rule) { throw readOnly(); }
    @Override public void setPermanentNeighbour(Neighbour n) { throw readOnly(); }
    @Override public void deleteNeighbour(Neighbour n) { throw readOnly(); }
    @Override public void close() { }

    private static AssertionError readOnly() {
        return new AssertionError("the doctor must never change the kernel");
    }
}
