package io.vpccni.ipamd.doctor;

import io.vpccni.ipamd.host.Iptables;
import io.vpccni.ipamd.host.IptablesMode;
import io.vpccni.ipamd.host.ProcessIptables;
import io.vpccni.ipamd.net.Netlink;
import io.vpccni.ipamd.net.RtNetlink;

import java.util.function.Function;
import java.util.function.Supplier;

/** The two edges into the kernel the doctor reads through (files aside): rtnetlink and each iptables backend. */
record HostAccess(Supplier<Netlink> netlink, Function<IptablesMode, Iptables> iptables) {
    /** This process's network namespace, through the daemon's own rtnetlink and iptables tools. */
    static HostAccess real() {
        return new HostAccess(RtNetlink::open, ProcessIptables::new);
    }
}
