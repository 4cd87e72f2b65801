package io.vpccni.ipamd.testing;

import io.vpccni.ipamd.net.Address;
import io.vpccni.ipamd.net.Errno;
import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.net.Link;
import io.vpccni.ipamd.net.NetNs;
import io.vpccni.ipamd.net.Netlink;
import io.vpccni.ipamd.net.NetlinkException;
import io.vpccni.ipamd.net.Neighbour;
import io.vpccni.ipamd.net.Route;
import io.vpccni.ipamd.net.Rule;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real rtnetlink that fails the N-th change (counted across every wrapper sharing {@code counter}), to
 * prove that a failure at any step of ADD leaves nothing behind.
 */
public final class FaultyNetlink implements Netlink {
    private final Netlink real;
    private final AtomicInteger counter;
    private final int failAt;

    public FaultyNetlink(Netlink real, AtomicInteger counter, int failAt) {
        this.real = real;
        this.counter = counter;
        this.failAt = failAt;
    }

    private void step(String what) {
        if (counter.incrementAndGet() == failAt) {
            throw new NetlinkException("injected failure at change " + failAt + " (" + what + ")", Errno.ENOMEM, "");
        }
    }

    @Override public List<Link> links() { return real.links(); }
    @Override public Optional<Link> link(String name) { return real.link(name); }
    @Override public Optional<Link> link(int index) { return real.link(index); }
    @Override public Optional<Link> linkByMac(String mac) { return real.linkByMac(mac); }
    @Override public List<Address> addresses() { return real.addresses(); }
    @Override public List<Route> routes(int table) { return real.routes(table); }
    @Override public List<Rule> rules() { return real.rules(); }
    @Override public List<Neighbour> neighbours(int linkIndex) { return real.neighbours(linkIndex); }

    @Override public void createVeth(String name, String peerName, NetNs peerNs, int mtu, String peerMac) {
        step("createVeth " + name);
        real.createVeth(name, peerName, peerNs, mtu, peerMac);
    }
    @Override public void setUp(String name, boolean up) { step("setUp " + name); real.setUp(name, up); }
    @Override public void setMtu(String name, int mtu) { step("setMtu"); real.setMtu(name, mtu); }
    @Override public void setMac(String name, String mac) { step("setMac"); real.setMac(name, mac); }
    @Override public void moveTo(String name, NetNs ns) { step("moveTo"); real.moveTo(name, ns); }
    @Override public void deleteLink(String name) { real.deleteLink(name); }
    @Override public void deleteLink(int index) { real.deleteLink(index); }
    @Override public void addAddress(String link, IpPrefix prefix) { step("addAddress " + prefix); real.addAddress(link, prefix); }
    @Override public void deleteAddress(String link, IpPrefix prefix) { real.deleteAddress(link, prefix); }
    @Override public void addRoute(Route route) { step("addRoute"); real.addRoute(route); }
    @Override public void replaceRoute(Route route) { step("replaceRoute " + route.dst()); real.replaceRoute(route); }
    @Override public void deleteRoute(Route route) { real.deleteRoute(route); }
    @Override public void addRule(Rule rule) { step("addRule " + rule); real.addRule(rule); }
    @Override public void deleteRule(Rule rule) { real.deleteRule(rule); }
    @Override public void setPermanentNeighbour(Neighbour n) { step("setPermanentNeighbour"); real.setPermanentNeighbour(n); }
    @Override public void deleteNeighbour(Neighbour n) { real.deleteNeighbour(n); }
    @Override public void close() { real.close(); }
}
