package io.vpccni.simcloud;

/** An IPv4 CIDR block; addresses are unsigned 32-bit values held in a long to keep arithmetic obvious. */
public record Cidr(long base, int prefixLength) {

    public Cidr {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is outside 0..32");
        }
        // fields are not assigned yet inside a compact constructor, so compute the host mask locally
        if ((base & ((1L << (32 - prefixLength)) - 1)) != 0) {
            throw new IllegalArgumentException(formatAddress(base) + "/" + prefixLength + " has host bits set");
        }
    }

    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) throw new IllegalArgumentException("'" + text + "' is not a CIDR block (missing '/')");
        return new Cidr(parseAddress(text.substring(0, slash)), Integer.parseInt(text.substring(slash + 1)));
    }

    public long size() {
        return 1L << (32 - prefixLength);
    }

    public long last() {
        return base + size() - 1;
    }

    public boolean contains(long address) {
        return address >= base && address <= last();
    }

    public boolean contains(Cidr other) {
        return contains(other.base) && contains(other.last());
    }

    public static long parseAddress(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
        long value = 0;
        for (String part : parts) {
            int octet;
            try {
                octet = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
            }
            if (octet < 0 || octet > 255) throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
            value = (value << 8) | octet;
        }
        return value;
    }

    public static String formatAddress(long address) {
        return ((address >> 24) & 0xff) + "." + ((address >> 16) & 0xff) + "." + ((address >> 8) & 0xff) + "." + (address & 0xff);
    }

    @Override
    public String toString() {
        return formatAddress(base) + "/" + prefixLength;
    }
}
