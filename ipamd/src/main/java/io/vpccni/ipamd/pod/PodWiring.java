package io.vpccni.ipamd.pod;

import io.vpccni.ipamd.pool.Allocation;

import java.util.List;

/**
 * The kernel side of a pod: veth pair, address, gateway, static ARP, host route and policy rules.
 * Implementations are idempotent, and {@link #setUp} undoes its own partial work before throwing.
 */
public interface PodWiring {
    /** The host veth name the pod of {@code request} gets. @throws IllegalArgumentException when its settings disagree with the daemon's */
    String hostVeth(PodNetworkRequest request);

    /** Wires the pod's netns for {@code allocation}. @throws WiringException naming the failed step */
    PodInterfaces setUp(PodNetworkRequest request, Allocation allocation);

    /**
     * Removes the pod's wiring. {@code allocation} is null when the daemon holds no record (then
     * {@code request.prevResult()} and the pod's identity say what to look for). Succeeds when the
     * netns or the veth is already gone. @throws WiringException listing every step that failed
     */
    void tearDown(PodNetworkRequest request, Allocation allocation);

    /**
     * At restart: whether the pod of a restored allocation still has its wiring (its host veth); if so the
     * wiring is owned again, as the allocation (ENI, route table) says.
     */
    boolean adopt(Allocation allocation);

    /** Compares the kernel with what {@code allocation} requires; empty when healthy. */
    List<Drift> check(PodNetworkRequest request, Allocation allocation);

    /**
     * The host side of {@link #check} for many pods from one reading of the host, never entering a pod's namespace
     * (introspection). @return each allocation's host veth and drifts, in its order
     */
    List<HostSideCheck.Result> checkHostSide(List<Allocation> allocations);

    /**
     * Removes wiring this daemon made for pods that hold none of {@code live}'s addresses (leftovers of
     * pods the runtime forgot). Continues past failures. @return one message per object it could not remove
     */
    List<String> removeStale(List<Allocation> live);
}
