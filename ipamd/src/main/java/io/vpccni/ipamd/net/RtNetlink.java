package io.vpccni.ipamd.net;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link Netlink} over a NETLINK_ROUTE socket bound to one namespace. */
public final class RtNetlink implements Netlink {
    private static final int RT_SCOPE_NOWHERE = 255;

    private final NetlinkSocket socket;
    private final String where;

    private RtNetlink(NetlinkSocket socket, String where) {
        this.socket = socket;
        this.where = where;
    }

    /** rtnetlink in the calling thread's namespace. */
    public static RtNetlink open() {
        return new RtNetlink(NetlinkSocket.open(0), "");
    }

    /** rtnetlink inside {@code ns}, usable from any thread. */
    public static RtNetlink openIn(NetNs ns) {
        return new RtNetlink(NetlinkSocket.openIn(ns, 0), " in " + ns);
    }

    // ---- links

    @Override
    public List<Link> links() {
        var replies = socket.dump(new NlMessage(Nl.RTM_GETLINK, Nl.F_REQUEST | Nl.F_DUMP).u8(Nl.AF_UNSPEC).u8(0).u16(0)
                .u32(0).u32(0).u32(0), "RTM_GETLINK dump" + where);
        var out = new ArrayList<Link>(replies.size());
        for (var m : replies) {
            if ((m.getShort(4) & 0xffff) == Nl.RTM_NEWLINK) {
                out.add(parseLink(m));
            }
        }
        return out;
    }

    @Override
    public Optional<Link> link(String name) {
        var msg = new NlMessage(Nl.RTM_GETLINK, Nl.F_REQUEST | Nl.F_ACK).u8(Nl.AF_UNSPEC).u8(0).u16(0).u32(0).u32(0).u32(0)
                .attrString(Nl.IFLA_IFNAME, name);
        try {
            var replies = socket.execute(msg, "RTM_GETLINK " + name + where);
            return replies.isEmpty() ? Optional.empty() : Optional.of(parseLink(replies.getFirst()));
        } catch (NetlinkException e) {
            if (e.is(Errno.ENODEV)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public Optional<Link> link(int index) {
        for (var l : links()) {
            if (l.index() == index) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<Link> linkByMac(String mac) {
        for (var l : links()) {
            if (l.mac().equalsIgnoreCase(mac)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    static Link parseLink(ByteBuffer m) {
        var index = m.getInt(Nl.HDRLEN + 4);
        var flags = m.getInt(Nl.HDRLEN + 8);
        var attrs = new NlAttrs(m, Nl.HDRLEN + Nl.IFINFOMSG_LEN, m.getInt(0));
        var info = attrs.nested(Nl.IFLA_LINKINFO);
        var kind = info == null ? null : info.string(Nl.IFLA_INFO_KIND);
        return new Link(index, attrs.string(Nl.IFLA_IFNAME), Macs.format(attrs.bytes(Nl.IFLA_ADDRESS)),
                attrs.u32(Nl.IFLA_MTU, 0), (flags & Nl.IFF_UP) != 0, kind == null ? "" : kind);
    }

    private static NlMessage linkRequest(int type, int flags, int ifFlags, int change) {
        return new NlMessage(type, Nl.F_REQUEST | Nl.F_ACK | flags).u8(Nl.AF_UNSPEC).u8(0).u16(0).u32(0).u32(ifFlags).u32(change);
    }

    @Override
    public void createVeth(String name, String peerName, NetNs peerNs, int mtu, String peerMac) {
        var msg = linkRequest(Nl.RTM_NEWLINK, Nl.F_CREATE | Nl.F_EXCL, 0, 0)
                .attrString(Nl.IFLA_IFNAME, name)
                .attrU32(Nl.IFLA_MTU, mtu)
                .beginNested(Nl.IFLA_LINKINFO)
                .attrString(Nl.IFLA_INFO_KIND, "veth")
                .beginNested(Nl.IFLA_INFO_DATA)
                .beginNested(Nl.VETH_INFO_PEER)
                .u8(Nl.AF_UNSPEC).u8(0).u16(0).u32(0).u32(0).u32(0)
                .attrString(Nl.IFLA_IFNAME, peerName)
                .attrU32(Nl.IFLA_MTU, mtu);
        if (peerMac != null) {
            msg.attr(Nl.IFLA_ADDRESS, Macs.parse(peerMac));
        }
        if (peerNs != null) {
            msg.attrU32(Nl.IFLA_NET_NS_FD, peerNs.fd());
        }
        msg.endNested().endNested().endNested();
        socket.execute(msg, "RTM_NEWLINK veth " + name + " peer " + peerName + (peerNs == null ? "" : " in " + peerNs) + where);
    }

    @Override
    public void setUp(String name, boolean up) {
        socket.execute(linkRequest(Nl.RTM_NEWLINK, 0, up ? Nl.IFF_UP : 0, Nl.IFF_UP).attrString(Nl.IFLA_IFNAME, name),
                "RTM_NEWLINK " + name + (up ? " up" : " down") + where);
    }

    @Override
    public void setMtu(String name, int mtu) {
        socket.execute(linkRequest(Nl.RTM_NEWLINK, 0, 0, 0).attrString(Nl.IFLA_IFNAME, name).attrU32(Nl.IFLA_MTU, mtu),
                "RTM_NEWLINK " + name + " mtu " + mtu + where);
    }

    @Override
    public void setMac(String name, String mac) {
        socket.execute(linkRequest(Nl.RTM_NEWLINK, 0, 0, 0).attrString(Nl.IFLA_IFNAME, name).attr(Nl.IFLA_ADDRESS, Macs.parse(mac)),
                "RTM_NEWLINK " + name + " address " + mac + where);
    }

    @Override
    public void moveTo(String name, NetNs ns) {
        socket.execute(linkRequest(Nl.RTM_NEWLINK, 0, 0, 0).attrString(Nl.IFLA_IFNAME, name).attrU32(Nl.IFLA_NET_NS_FD, ns.fd()),
                "RTM_NEWLINK " + name + " netns " + ns.path() + where);
    }

    @Override
    public void deleteLink(String name) {
        socket.execute(linkRequest(Nl.RTM_DELLINK, 0, 0, 0).attrString(Nl.IFLA_IFNAME, name), "RTM_DELLINK " + name + where);
    }

    @Override
    public void deleteLink(int index) {
        socket.execute(new NlMessage(Nl.RTM_DELLINK, Nl.F_REQUEST | Nl.F_ACK).u8(Nl.AF_UNSPEC).u8(0).u16(0).u32(index).u32(0).u32(0),
                "RTM_DELLINK ifindex " + index + where);
    }

    private int indexOf(String name, String operation) {
        return link(name).orElseThrow(() -> new NetlinkException(operation + where, Errno.ENODEV, "no link named " + name)).index();
    }

    private String nameOf(int index) {
        return link(index).map(Link::name).orElse("ifindex " + index);
    }

    // ---- addresses

    @Override
    public List<Address> addresses() {
        var replies = socket.dump(new NlMessage(Nl.RTM_GETADDR, Nl.F_REQUEST | Nl.F_DUMP).u8(Nl.AF_INET).u8(0).u8(0).u8(0).u32(0),
                "RTM_GETADDR dump" + where);
        var out = new ArrayList<Address>(replies.size());
        for (var m : replies) {
            var a = parseAddress(m);
            if (a != null) {
                out.add(a);
            }
        }
        return out;
    }

    /** An RTM_NEWADDR/RTM_DELADDR message's IPv4 address, or null for other families. */
    static Address parseAddress(ByteBuffer m) {
        if (m.get(Nl.HDRLEN) != Nl.AF_INET) {
            return null;
        }
        var attrs = new NlAttrs(m, Nl.HDRLEN + Nl.IFADDRMSG_LEN, m.getInt(0));
        var ip = attrs.has(Nl.IFA_LOCAL) ? attrs.bytes(Nl.IFA_LOCAL) : attrs.bytes(Nl.IFA_ADDRESS);
        return ip == null ? null : new Address(m.getInt(Nl.HDRLEN + 4), new IpPrefix(IpPrefix.ipv4(ip), m.get(Nl.HDRLEN + 1) & 0xff));
    }

    @Override
    public void addAddress(String link, IpPrefix prefix) {
        var what = "RTM_NEWADDR " + prefix + " dev " + link;
        socket.execute(addressRequest(Nl.RTM_NEWADDR, Nl.F_CREATE | Nl.F_EXCL, indexOf(link, what), prefix), what + where);
    }

    @Override
    public void deleteAddress(String link, IpPrefix prefix) {
        var what = "RTM_DELADDR " + prefix + " dev " + link;
        socket.execute(addressRequest(Nl.RTM_DELADDR, 0, indexOf(link, what), prefix), what + where);
    }

    private static NlMessage addressRequest(int type, int flags, int index, IpPrefix prefix) {
        var ip = prefix.address().getAddress();
        return new NlMessage(type, Nl.F_REQUEST | Nl.F_ACK | flags).u8(Nl.AF_INET).u8(prefix.length()).u8(0).u8(0).u32(index)
                .attr(Nl.IFA_LOCAL, ip).attr(Nl.IFA_ADDRESS, ip);
    }

    // ---- routes

    @Override
    public List<Route> routes(int table) {
        var replies = socket.dump(new NlMessage(Nl.RTM_GETROUTE, Nl.F_REQUEST | Nl.F_DUMP).u8(Nl.AF_INET).u8(0).u8(0).u8(0)
                .u8(0).u8(0).u8(0).u8(0).u32(0), "RTM_GETROUTE dump" + where);
        var out = new ArrayList<Route>();
        for (var m : replies) {
            var r = parseRoute(m);
            if (r != null && (table == 0 || r.table() == table)) {
                out.add(r);
            }
        }
        return out;
    }

    /** An RTM_NEWROUTE/RTM_DELROUTE message's IPv4 unicast route, or null for other kinds. */
    static Route parseRoute(ByteBuffer m) {
        if (m.get(Nl.HDRLEN) != Nl.AF_INET || (m.get(Nl.HDRLEN + 7) & 0xff) != Nl.RTN_UNICAST) {
            return null;
        }
        var attrs = new NlAttrs(m, Nl.HDRLEN + Nl.RTMSG_LEN, m.getInt(0));
        var dstLen = m.get(Nl.HDRLEN + 1) & 0xff;
        var dst = attrs.has(Nl.RTA_DST) ? new IpPrefix(IpPrefix.ipv4(attrs.bytes(Nl.RTA_DST)), dstLen) : IpPrefix.DEFAULT;
        var gw = attrs.has(Nl.RTA_GATEWAY) ? IpPrefix.ipv4(attrs.bytes(Nl.RTA_GATEWAY)) : null;
        return new Route(dst, gw, attrs.u32(Nl.RTA_OIF, 0), attrs.u32(Nl.RTA_TABLE, m.get(Nl.HDRLEN + 4) & 0xff),
                m.get(Nl.HDRLEN + 6) & 0xff);
    }

    @Override
    public void addRoute(Route route) {
        socket.execute(routeRequest(Nl.RTM_NEWROUTE, Nl.F_CREATE | Nl.F_EXCL, route, route.scope()),
                "RTM_NEWROUTE " + route.describe(nameOf(route.oif())) + where);
    }

    @Override
    public void replaceRoute(Route route) {
        socket.execute(routeRequest(Nl.RTM_NEWROUTE, Nl.F_CREATE | Nl.F_REPLACE, route, route.scope()),
                "RTM_NEWROUTE (replace) " + route.describe(nameOf(route.oif())) + where);
    }

    @Override
    public void deleteRoute(Route route) {
        socket.execute(routeRequest(Nl.RTM_DELROUTE, 0, route, RT_SCOPE_NOWHERE),
                "RTM_DELROUTE " + route.describe(nameOf(route.oif())) + where);
    }

    private static NlMessage routeRequest(int type, int flags, Route r, int scope) {
        // Deletes match any protocol (0), so a route the kernel made (proto kernel) can be deleted too.
        var protocol = type == Nl.RTM_DELROUTE ? 0 : Nl.RTPROT_BOOT;
        var msg = new NlMessage(type, Nl.F_REQUEST | Nl.F_ACK | flags).u8(Nl.AF_INET).u8(r.dst().length()).u8(0).u8(0)
                .u8(r.table() < 256 ? r.table() : 0).u8(protocol).u8(scope).u8(Nl.RTN_UNICAST).u32(0)
                .attrU32(Nl.RTA_TABLE, r.table());
        if (!r.dst().isDefault()) {
            msg.attr(Nl.RTA_DST, r.dst().address().getAddress());
        }
        if (r.gateway() != null) {
            msg.attr(Nl.RTA_GATEWAY, r.gateway().getAddress());
        }
        if (r.oif() != 0) {
            msg.attrU32(Nl.RTA_OIF, r.oif());
        }
        return msg;
    }

    // ---- rules

    @Override
    public List<Rule> rules() {
        var replies = socket.dump(new NlMessage(Nl.RTM_GETRULE, Nl.F_REQUEST | Nl.F_DUMP).u8(Nl.AF_INET).u8(0).u8(0).u8(0)
                .u8(0).u8(0).u8(0).u8(0).u32(0), "RTM_GETRULE dump" + where);
        var out = new ArrayList<Rule>();
        for (var m : replies) {
            if ((m.getShort(4) & 0xffff) == Nl.RTM_NEWRULE && m.get(Nl.HDRLEN) == Nl.AF_INET) {
                out.add(parseRule(m));
            }
        }
        return out;
    }

    static Rule parseRule(ByteBuffer m) {
        var dstLen = m.get(Nl.HDRLEN + 1) & 0xff;
        var srcLen = m.get(Nl.HDRLEN + 2) & 0xff;
        var attrs = new NlAttrs(m, Nl.HDRLEN + Nl.FIB_RULE_HDR_LEN, m.getInt(0));
        var src = attrs.has(Nl.FRA_SRC) ? new IpPrefix(IpPrefix.ipv4(attrs.bytes(Nl.FRA_SRC)), srcLen) : null;
        var dst = attrs.has(Nl.FRA_DST) ? new IpPrefix(IpPrefix.ipv4(attrs.bytes(Nl.FRA_DST)), dstLen) : null;
        return new Rule(attrs.u32(Nl.FRA_PRIORITY, 0), src, dst, attrs.u32(Nl.FRA_TABLE, m.get(Nl.HDRLEN + 4) & 0xff),
                attrs.u32(Nl.FRA_FWMARK, 0), attrs.u32(Nl.FRA_FWMASK, 0));
    }

    @Override
    public void addRule(Rule rule) {
        socket.execute(ruleRequest(Nl.RTM_NEWRULE, Nl.F_CREATE | Nl.F_EXCL, rule), "RTM_NEWRULE " + rule + where);
    }

    @Override
    public void deleteRule(Rule rule) {
        socket.execute(ruleRequest(Nl.RTM_DELRULE, 0, rule), "RTM_DELRULE " + rule + where);
    }

    private static NlMessage ruleRequest(int type, int flags, Rule r) {
        var msg = new NlMessage(type, Nl.F_REQUEST | Nl.F_ACK | flags).u8(Nl.AF_INET)
                .u8(r.dst() == null ? 0 : r.dst().length()).u8(r.src() == null ? 0 : r.src().length()).u8(0)
                .u8(r.table() < 256 ? r.table() : 0).u8(0).u8(0).u8(Nl.FR_ACT_TO_TBL).u32(0)
                .attrU32(Nl.FRA_PRIORITY, r.priority())
                .attrU32(Nl.FRA_TABLE, r.table());
        if (r.src() != null) {
            msg.attr(Nl.FRA_SRC, r.src().address().getAddress());
        }
        if (r.dst() != null) {
            msg.attr(Nl.FRA_DST, r.dst().address().getAddress());
        }
        if (r.fwmask() != 0) {
            msg.attrU32(Nl.FRA_FWMARK, r.fwmark()).attrU32(Nl.FRA_FWMASK, r.fwmask());
        }
        return msg;
    }

    // ---- neighbours

    @Override
    public List<Neighbour> neighbours(int linkIndex) {
        var replies = socket.dump(new NlMessage(Nl.RTM_GETNEIGH, Nl.F_REQUEST | Nl.F_DUMP).u8(Nl.AF_INET).u8(0).u16(0)
                .u32(0).u16(0).u8(0).u8(0), "RTM_GETNEIGH dump" + where);
        var out = new ArrayList<Neighbour>();
        for (var m : replies) {
            var index = m.getInt(Nl.HDRLEN + 4);
            if ((m.getShort(4) & 0xffff) != Nl.RTM_NEWNEIGH || (linkIndex != 0 && index != linkIndex)) {
                continue;
            }
            var attrs = new NlAttrs(m, Nl.HDRLEN + Nl.NDMSG_LEN, m.getInt(0));
            if (attrs.has(Nl.NDA_DST) && attrs.bytes(Nl.NDA_DST).length == 4) {
                out.add(new Neighbour(index, IpPrefix.ipv4(attrs.bytes(Nl.NDA_DST)), Macs.format(attrs.bytes(Nl.NDA_LLADDR)),
                        m.getShort(Nl.HDRLEN + 8) & 0xffff));
            }
        }
        return out;
    }

    @Override
    public void setPermanentNeighbour(Neighbour n) {
        socket.execute(neighbourRequest(Nl.RTM_NEWNEIGH, Nl.F_CREATE | Nl.F_REPLACE, n, Nl.NUD_PERMANENT)
                        .attr(Nl.NDA_LLADDR, Macs.parse(n.mac())),
                "RTM_NEWNEIGH " + n.ip().getHostAddress() + " lladdr " + n.mac() + " dev " + nameOf(n.linkIndex()) + where);
    }

    @Override
    public void deleteNeighbour(Neighbour n) {
        socket.execute(neighbourRequest(Nl.RTM_DELNEIGH, 0, n, 0),
                "RTM_DELNEIGH " + n.ip().getHostAddress() + " dev " + nameOf(n.linkIndex()) + where);
    }

    private static NlMessage neighbourRequest(int type, int flags, Neighbour n, int state) {
        return new NlMessage(type, Nl.F_REQUEST | Nl.F_ACK | flags).u8(Nl.AF_INET).u8(0).u16(0).u32(n.linkIndex())
                .u16(state).u8(0).u8(0).attr(Nl.NDA_DST, n.ip().getAddress());
    }


    @Override
    public void close() {
        socket.close();
    }
}
