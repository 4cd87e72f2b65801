package io.vpccni.ipamd.testing;

import io.vpccni.ipamd.pod.Drift;
import io.vpccni.ipamd.pod.HostSideCheck;
import io.vpccni.ipamd.pod.PodInterfaces;
import io.vpccni.ipamd.pod.PodNetworkRequest;
import io.vpccni.ipamd.pod.PodWiring;
import io.vpccni.ipamd.pod.WiringException;
import io.vpccni.ipamd.pool.Allocation;
import io.vpccni.ipamd.pool.AttachmentKey;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A test wiring that remembers which pods it wired and can be told to fail. */
public final class RecordingWiring implements PodWiring {
    public final Map<AttachmentKey, String> wired = new ConcurrentHashMap<>();
    public final List<PodNetworkRequest> tornDown = new ArrayList<>();
    public volatile String failSetUp;
    public volatile String failTearDown;
    public volatile List<Drift> drifts = List.of();
    /** Released each time setUp starts; when {@link #holdSetUp} is set, setUp then waits for it. */
    public final java.util.concurrent.Semaphore setUpStarted = new java.util.concurrent.Semaphore(0);
    public volatile java.util.concurrent.CountDownLatch holdSetUp;

    @Override
    public String hostVeth(PodNetworkRequest request) {
        return request.settings().vethPrefix() + "0123456789a";
    }

    @Override
    public PodInterfaces setUp(PodNetworkRequest request, Allocation allocation) {
        setUpStarted.release();
        var hold = holdSetUp;
        if (hold != null) {
            try {
                hold.await();
            } catch (InterruptedException e) {
                throw new WiringException("interrupted");
            }
        }
        if (failSetUp != null) {
            throw new WiringException(failSetUp);
        }
        wired.put(request.key(), allocation.ipv4Text());
        return new PodInterfaces(hostVeth(request), "02:00:00:00:00:01",
                request.key().ifName(), "0a:58:00:00:00:02");
    }

    @Override
    public synchronized void tearDown(PodNetworkRequest request, Allocation allocation) {
        if (failTearDown != null) {
            throw new WiringException(failTearDown);
        }
        tornDown.add(request);
        wired.remove(request.key());
    }

    @Override
    public boolean adopt(Allocation allocation) {
        return wired.containsKey(allocation.key());
    }

    @Override
    public List<Drift> check(PodNetworkRequest request, Allocation allocation) {
        return drifts;
    }

    @Override
    public List<HostSideCheck.Result> checkHostSide(List<Allocation> allocations) {
        return allocations.stream().map(a -> new HostSideCheck.Result(a.hostVeth(), drifts)).toList();
    }

    @Override
    public List<String> removeStale(List<Allocation> live) {
        return List.of();
    }
}
