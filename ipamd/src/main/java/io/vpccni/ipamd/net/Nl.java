package io.vpccni.ipamd.net;

/** rtnetlink constants (linux/netlink.h, rtnetlink.h, if_link.h, fib_rules.h, neighbour.h). */
final class Nl {
    private Nl() {
    }

    // nlmsghdr
    static final int HDRLEN = 16;
    static final int NLMSG_ERROR = 2, NLMSG_DONE = 3;
    static final int F_REQUEST = 0x1, F_MULTI = 0x2, F_ACK = 0x4, F_DUMP = 0x300, F_REPLACE = 0x100, F_EXCL = 0x200,
            F_CREATE = 0x400, F_CAPPED = 0x100, F_ACK_TLVS = 0x200;
    static final int NLMSGERR_ATTR_MSG = 1;

    // message types
    static final int RTM_NEWLINK = 16, RTM_DELLINK = 17, RTM_GETLINK = 18, RTM_SETLINK = 19;
    static final int RTM_NEWADDR = 20, RTM_DELADDR = 21, RTM_GETADDR = 22;
    static final int RTM_NEWROUTE = 24, RTM_DELROUTE = 25, RTM_GETROUTE = 26;
    static final int RTM_NEWNEIGH = 28, RTM_DELNEIGH = 29, RTM_GETNEIGH = 30;
    static final int RTM_NEWRULE = 32, RTM_DELRULE = 33, RTM_GETRULE = 34;

    static String typeName(int type) {
        return switch (type) {
            case RTM_NEWLINK -> "RTM_NEWLINK";
            case RTM_DELLINK -> "RTM_DELLINK";
            case RTM_GETLINK -> "RTM_GETLINK";
            case RTM_SETLINK -> "RTM_SETLINK";
            case RTM_NEWADDR -> "RTM_NEWADDR";
            case RTM_DELADDR -> "RTM_DELADDR";
            case RTM_GETADDR -> "RTM_GETADDR";
            case RTM_NEWROUTE -> "RTM_NEWROUTE";
            case RTM_DELROUTE -> "RTM_DELROUTE";
            case RTM_GETROUTE -> "RTM_GETROUTE";
            case RTM_NEWNEIGH -> "RTM_NEWNEIGH";
            case RTM_DELNEIGH -> "RTM_DELNEIGH";
            case RTM_GETNEIGH -> "RTM_GETNEIGH";
            case RTM_NEWRULE -> "RTM_NEWRULE";
            case RTM_DELRULE -> "RTM_DELRULE";
            case RTM_GETRULE -> "RTM_GETRULE";
            default -> "netlink message " + type;
        };
    }

    // multicast groups for bind(2)
    static final int RTMGRP_LINK = 0x1, RTMGRP_NEIGH = 0x4, RTMGRP_IPV4_IFADDR = 0x10, RTMGRP_IPV4_ROUTE = 0x40,
            RTMGRP_IPV4_RULE = 0x80;

    static final int AF_INET = 2, AF_UNSPEC = 0;

    // links
    static final int IFINFOMSG_LEN = 16;
    static final int IFF_UP = 0x1;
    static final int IFLA_ADDRESS = 1, IFLA_IFNAME = 3, IFLA_MTU = 4, IFLA_LINK = 5, IFLA_MASTER = 10,
            IFLA_OPERSTATE = 16, IFLA_LINKINFO = 18, IFLA_NET_NS_FD = 28;
    static final int IFLA_INFO_KIND = 1, IFLA_INFO_DATA = 2, VETH_INFO_PEER = 1;

    // addresses
    static final int IFADDRMSG_LEN = 8;
    static final int IFA_ADDRESS = 1, IFA_LOCAL = 2;

    // routes
    static final int RTMSG_LEN = 12;
    static final int RTA_DST = 1, RTA_OIF = 4, RTA_GATEWAY = 5, RTA_PRIORITY = 6, RTA_PREFSRC = 7, RTA_TABLE = 15;
    static final int RTN_UNICAST = 1;
    static final int RTPROT_BOOT = 3, RTPROT_STATIC = 4;
    static final int RT_SCOPE_UNIVERSE = 0, RT_SCOPE_LINK = 253, RT_SCOPE_HOST = 254;
    static final int RT_TABLE_COMPAT = 252, RT_TABLE_MAIN = 254;

    // rules
    static final int FIB_RULE_HDR_LEN = 12;
    static final int FRA_DST = 1, FRA_SRC = 2, FRA_PRIORITY = 6, FRA_FWMARK = 10, FRA_TABLE = 15, FRA_FWMASK = 16;
    static final int FR_ACT_TO_TBL = 1;

    // neighbours
    static final int NDMSG_LEN = 12;
    static final int NDA_DST = 1, NDA_LLADDR = 2;
    static final int NUD_PERMANENT = 0x80;
}
