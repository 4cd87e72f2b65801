package io.vpccni.ipamd.pod;

import io.vpccni.ipamd.pool.Allocation;

import java.util.List;

/**
 * The pod wiring of a daemon that has no kernel layer: it refuses to wire, and since it never wired
 * anything, there is never anything of its own to tear down or sweep.
 */
public final class UnwiredPods implements PodWiring {
    private final String reason;

    public UnwiredPods(String reason) {
        this.reason = reason;
    }

    @Override
    public PodInterfaces setUp(PodNetworkRequest request, Allocation allocation) {
        throw new WiringException(reason);
    }

    @Override
    public void tearDown(PodNetworkRequest request, Allocation allocation) {
    }

    @Override
    public List<Drift> check(PodNetworkRequest request, Allocation allocation) {
        return List.of(new Drift("pod wiring of " + request.key(), "wired by aws-k8s-agent", reason));
    }

    @Override
    public List<String> removeStale(List<Allocation> live) {
        return List.of();
    }
}
