package io.vpccni.ipamd.pool;

import io.vpccni.ipamd.net.IpPrefix;

import java.net.Inet4Address;
import java.time.Instant;
import java.util.List;

/**
 * One ENI of the pool as introspection shows it: its CIDRs and, in each, the addresses that are assigned or were
 * released (free addresses never used are left out, as upstream's datastore has no entry for them).
 */
public record EniDetail(EniInfo info, boolean excluded, List<Cidr> cidrs) {
    public record Cidr(IpPrefix cidr, boolean prefix, List<Address> addresses) {
    }

    /** @param assigned null when free; {@code assignedAt}/{@code releasedAt} null when it never was */
    public record Address(Inet4Address ip, Allocation assigned, Instant assignedAt, Instant releasedAt) {
    }
}
