package io.vpccni.ipamd.guard;

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

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A kernel with policy rules and nothing else, for healer tests that need no namespace. */
final class RuleTable implements Netlink {
    private final Set<Rule> rules = new LinkedHashSet<>();
    private int dumps;

    RuleTable(Collection<Rule> rules) {
        this.rules.addAll(rules);
    }

    @Override public synchronized List<Rule> rules() {
        dumps++;
        return List.copyOf(rules);
    }

    /** How often the rules were read in full. */
    synchronized int dumps() {
        return dumps;
    }
    @Override public synchronized void addRule(Rule rule) {
        if (!rules.add(rule)) {
            throw new NetlinkException("add " + rule, Errno.EEXIST, "exists");
        }
    }
    @Override public synchronized void deleteRule(Rule rule) { rules.remove(rule); }
    @Override public List<Link> links() { return List.of(); }
    @Override public List<Address> addresses() { return List.of(); }
    @Override public List<Route> routes(int table) { return List.of(); }
    @Override public List<Neighbour> neighbours(int linkIndex) { return List.of(); }
    @Override public Optional<Link> link(String name) { return Optional.empty(); }
    @Override public Optional<Link> link(int index) { return Optional.empty(); }
    @Override public Optional<Link> linkByMac(String mac) { return Optional.empty(); }
    @Override public void createVeth(String name, String peerName, NetNs peerNs, int mtu, String peerMac) { throw unsupported(); }
    @Override public void setUp(String name, boolean up) { throw unsupported(); }
    @Override public void setMtu(String name, int mtu) { throw unsupported(); }
    @Override public void setMac(String name, String mac) { throw unsupported(); }
    @Override public void moveTo(String name, NetNs ns) { throw unsupported(); }
    @Override public void deleteLink(String name) { throw unsupported(); }
    @Override public void deleteLink(int index) { throw unsupported(); }
    @Override public void addAddress(String link, IpPrefix prefix) { throw unsupported(); }
    @Override public void deleteAddress(String link, IpPrefix prefix) { throw unsupported(); }
    @Override public void addRoute(Route route) { throw unsupported(); }
    @Override public void replaceRoute(Route route) { throw unsupported(); }
    @Override public void deleteRoute(Route route) { throw unsupported(); }
    @Override public void setPermanentNeighbour(Neighbour n) { throw unsupported(); }
    @Override public void deleteNeighbour(Neighbour n) { throw unsupported(); }
    @Override public void close() { }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("a rule table has only rules");
    }
}
