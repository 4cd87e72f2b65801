package io.vpccni.ipamd.pool;

import io.vpccni.ipamd.net.IpPrefix;

/** A secondary /32 or a delegated /28 prefix on an ENI, with one slot per usable address. */
final class CidrBlock {
    final IpPrefix cidr;
    final boolean prefix;
    final AddressSlot[] slots;

    CidrBlock(IpPrefix cidr, boolean prefix) {
        if (cidr.length() != (prefix ? 28 : 32)) {
            throw new IllegalArgumentException(cidr + " is not a " + (prefix ? "/28 prefix" : "/32 secondary address"));
        }
        this.cidr = cidr;
        this.prefix = prefix;
        var base = toInt(cidr.address().getAddress());
        var size = 1 << (32 - cidr.length());
        if ((base & (size - 1)) != 0) {
            throw new IllegalArgumentException(cidr + " is not aligned to its prefix length");
        }
        this.slots = new AddressSlot[size];
        for (var i = 0; i < size; i++) {
            slots[i] = new AddressSlot(IpPrefix.ipv4(toBytes(base + i)));
        }
    }

    static int toInt(byte[] b) {
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    static byte[] toBytes(int v) {
        return new byte[]{(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    boolean unused() {
        for (var s : slots) {
            if (s.assigned != null || s.releasePending) {
                return false;
            }
        }
        return true;
    }
}
