package io.vpccni.ipamd.net;

import java.util.List;
import java.util.Optional;

/**
 * rtnetlink in one network namespace: links, IPv4 addresses, routes, rules and neighbours. Every failure
 * is a {@link NetlinkException} naming the operation and the object.
 */
public interface Netlink extends AutoCloseable {
    List<Link> links();

    Optional<Link> link(String name);

    Optional<Link> link(int index);

    Optional<Link> linkByMac(String mac);

    /**
     * Creates a veth pair: {@code name} here, {@code peerName} placed directly in {@code peerNs} (null: here),
     * both with {@code mtu}; {@code peerMac} null lets the kernel choose.
     */
    void createVeth(String name, String peerName, NetNs peerNs, int mtu, String peerMac);

    void setUp(String name, boolean up);

    void setMtu(String name, int mtu);

    void setMac(String name, String mac);

    void moveTo(String name, NetNs ns);

    void deleteLink(String name);

    /** Deletes the link with this index: unlike a name, an index never names a newer link of the same name. */
    void deleteLink(int index);

    List<Address> addresses();

    void addAddress(String link, IpPrefix prefix);

    void deleteAddress(String link, IpPrefix prefix);

    /** Routes of {@code table}, or of every table when {@code table} is 0. */
    List<Route> routes(int table);

    void addRoute(Route route);

    void replaceRoute(Route route);

    void deleteRoute(Route route);

    List<Rule> rules();

    void addRule(Rule rule);

    void deleteRule(Rule rule);

    List<Neighbour> neighbours(int linkIndex);

    /** Adds or replaces a permanent entry. */
    void setPermanentNeighbour(Neighbour neighbour);

    void deleteNeighbour(Neighbour neighbour);

    @Override
    void close();
}
