package io.vpccni.ipamd.net;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;

/** The few libc calls rtnetlink and namespaces need, bound once through jnr-ffi. */
public interface LibC {
    int AF_NETLINK = 16;
    int SOCK_RAW = 3;
    int SOCK_CLOEXEC = 0x80000;
    int NETLINK_ROUTE = 0;
    int SOL_SOCKET = 1;
    int SO_RCVBUF = 8;
    int SO_SNDBUF = 7;
    int SO_RCVTIMEO = 20;
    int SOL_NETLINK = 270;
    int NETLINK_EXT_ACK = 11;
    int O_RDONLY = 0;
    int O_CLOEXEC = 0x80000;
    /** So that opening a FIFO planted where a namespace should be does not block. */
    int O_NONBLOCK = 0x800;
    /** statfs f_type of nsfs, the file system of namespace files. */
    long NSFS_MAGIC = 0x6e736673L;
    /** ioctl(2) on a namespace file: which kind of namespace it is (Linux 4.11). */
    int NS_GET_NSTYPE = 0xb703;
    int CLONE_NEWNET = 0x40000000;

    int socket(int domain, int type, int protocol);

    int bind(int fd, @In byte[] addr, int len);

    int setsockopt(int fd, int level, int name, @In byte[] value, int len);

    long send(int fd, @In byte[] buf, long len, int flags);

    long recv(int fd, @Out byte[] buf, long len, int flags);

    int close(int fd);

    int open(String path, int flags);

    int setns(int fd, int nstype);

    /** struct statfs is 120 bytes on 64-bit Linux; f_type is its first field (a long). */
    int fstatfs(int fd, @Out byte[] statfs);

    /** struct stat is 144 bytes (x86_64) or 128 (arm64); st_dev and st_ino are its first two 8-byte fields on both. */
    int fstat(int fd, @Out byte[] stat);

    int ioctl(int fd, long request);

    String strerror(int errno);

    /** Loaded on first use; loading costs ~250 ms once per daemon. */
    final class Holder {
        static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
        static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

        private Holder() {
        }
    }

    static LibC get() {
        return Holder.LIBC;
    }

    static int errno() {
        return Holder.RUNTIME.getLastError();
    }
}
