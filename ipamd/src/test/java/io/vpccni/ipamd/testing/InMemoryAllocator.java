package io.vpccni.ipamd.testing;

import io.vpccni.ipamd.pool.Allocation;
import io.vpccni.ipamd.pool.Assignment;
import io.vpccni.ipamd.pool.AttachmentKey;
import io.vpccni.ipamd.pool.IpAllocator;
import io.vpccni.ipamd.pool.PodIdentity;
import io.vpccni.ipamd.pool.PoolException;
import io.vpccni.ipamd.pool.PoolStatus;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A test allocator over a fixed list of addresses on device 1 (route table 2). */
public final class InMemoryAllocator implements IpAllocator {
    private final Deque<Inet4Address> free = new ArrayDeque<>();
    private final Map<AttachmentKey, Allocation> assigned = new LinkedHashMap<>();
    private volatile String notReadyReason;

    public InMemoryAllocator(String... addresses) {
        for (var a : addresses) {
            free.add(ipv4(a));
        }
    }

    public void notReady(String reason) {
        notReadyReason = reason;
    }

    @Override
    public synchronized Assignment assign(AttachmentKey key, PodIdentity pod, String hostVeth) {
        if (notReadyReason != null) {
            throw new PoolException(PoolException.Reason.NOT_READY, notReadyReason);
        }
        var existing = assigned.get(key);
        if (existing != null) {
            return new Assignment(existing, false);
        }
        var ip = free.poll();
        if (ip == null) {
            throw new PoolException(PoolException.Reason.EXHAUSTED, "no free address; the pool is growing");
        }
        var allocation = new Allocation(key, pod, ip, 1, 2, hostVeth);
        assigned.put(key, allocation);
        return new Assignment(allocation, true);
    }

    @Override
    public synchronized Optional<Allocation> release(AttachmentKey key) {
        var a = assigned.remove(key);
        if (a != null) {
            free.add(a.ipv4());
        }
        return Optional.ofNullable(a);
    }

    @Override
    public synchronized Optional<Allocation> find(AttachmentKey key) {
        return Optional.ofNullable(assigned.get(key));
    }

    @Override
    public synchronized Optional<Allocation> holderOf(Inet4Address ip) {
        for (var a : assigned.values()) {
            if (a.ipv4().equals(ip)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized List<Allocation> allocations(String networkName) {
        var out = new ArrayList<Allocation>();
        for (var a : assigned.values()) {
            if (a.key().networkName().equals(networkName)) {
                out.add(a);
            }
        }
        return out;
    }

    @Override
    public synchronized PoolStatus status() {
        if (notReadyReason != null) {
            return PoolStatus.notReady(notReadyReason);
        }
        return new PoolStatus(true, "", free.size(), assigned.size());
    }

    public static Inet4Address ipv4(String text) {
        try {
            return (Inet4Address) InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
