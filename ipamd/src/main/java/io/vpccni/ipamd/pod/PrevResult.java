package io.vpccni.ipamd.pod;

import java.util.List;

/** What the runtime cached from ADD and hands back on CHECK and DEL; every field may be absent. */
public record PrevResult(PodInterfaces interfaces, List<String> ipCidrs, String gateway) {
    public PrevResult {
        ipCidrs = List.copyOf(ipCidrs);
    }

    /** The first address without its prefix length, or null. */
    public String firstIp() {
        if (ipCidrs.isEmpty()) {
            return null;
        }
        var cidr = ipCidrs.getFirst();
        var slash = cidr.indexOf('/');
        return slash < 0 ? cidr : cidr.substring(0, slash);
    }
}
