package io.vpccni.ipamd.net;

/**
 * A netlink or namespace call failed. The message names the operation, the object and the errno, e.g.
 * {@code RTM_NEWROUTE 10.0.1.5/32 dev eni1a2b3c table 2: EEXIST (File exists)}.
 */
public final class NetlinkException extends RuntimeException {
    private final int errno;

    public NetlinkException(String operation, int errno, String detail) {
        super(operation + ": " + Errno.name(errno) + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")"));
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    public boolean is(int expected) {
        return errno == expected;
    }
}
