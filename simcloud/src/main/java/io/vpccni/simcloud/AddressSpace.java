package io.vpccni.simcloud;

import java.util.BitSet;

/**
 * Free-address accounting of one subnet. AWS reserves the first four addresses (network, router, DNS,
 * future use) and the last one (broadcast), so a /24 offers 251 addresses. Not thread-safe: the owning
 * account serialises access.
 */
final class AddressSpace {
    static final int PREFIX_SIZE = 16; // a delegated IPv4 prefix is always a /28

    private final Cidr cidr;
    private final BitSet used; // offset from the subnet base → taken (reserved, assigned, or inside a prefix)

    AddressSpace(Cidr cidr) {
        if (cidr.prefixLength() > 28 || cidr.prefixLength() < 16) {
            throw new IllegalArgumentException("subnet " + cidr + " must be between /16 and /28, as in EC2");
        }
        this.cidr = cidr;
        int size = (int) cidr.size();
        this.used = new BitSet(size);
        used.set(0, 4);
        used.set(size - 1);
    }

    Cidr cidr() {
        return cidr;
    }

    int available() {
        return (int) cidr.size() - used.cardinality();
    }

    /** Lowest free address, or -1 when the subnet is full. */
    long allocateAddress() {
        int offset = used.nextClearBit(0);
        if (offset >= cidr.size()) return -1;
        used.set(offset);
        return cidr.base() + offset;
    }

    /** Claims a specific address; false when it is reserved or taken. */
    boolean claimAddress(long address) {
        int offset = offsetOf(address);
        if (used.get(offset)) return false;
        used.set(offset);
        return true;
    }

    /** Lowest /28 whose 16 addresses are all free, or null: a prefix must be aligned and wholly unused. */
    Cidr allocatePrefix() {
        for (int offset = 0; offset + PREFIX_SIZE <= cidr.size(); offset += PREFIX_SIZE) {
            int nextUsed = used.nextSetBit(offset);
            if (nextUsed < 0 || nextUsed >= offset + PREFIX_SIZE) {
                used.set(offset, offset + PREFIX_SIZE);
                return new Cidr(cidr.base() + offset, 28);
            }
        }
        return null;
    }

    void releaseAddress(long address) {
        used.clear(offsetOf(address));
    }

    void releasePrefix(Cidr prefix) {
        int offset = offsetOf(prefix.base());
        used.clear(offset, offset + (int) prefix.size());
    }

    boolean isUsable(long address) {
        int offset = (int) (address - cidr.base());
        return cidr.contains(address) && offset >= 4 && offset < cidr.size() - 1;
    }

    private int offsetOf(long address) {
        if (!cidr.contains(address)) {
            throw new IllegalArgumentException(Cidr.formatAddress(address) + " is outside subnet " + cidr);
        }
        return (int) (address - cidr.base());
    }
}
