package io.vpccni.cni.wire;

import java.util.List;

/** Everything the daemon needs to know about one ADD, DEL or CHECK. {@code prevResult} may be null. */
public record PodCall(String networkName, String containerId, String ifName, String netns,
                      String podNamespace, String podName, String podUid, String infraContainerId,
                      int mtu, String vethPrefix, String podSgEnforcingMode, PrevResult prevResult) {

    /** The cached ADD result the runtime passed back, reduced to what the daemon can use. */
    public record PrevResult(PodInterfaces interfaces, List<String> ipCidrs, String gateway) {
    }

    public record PodInterfaces(String hostVethName, String hostVethMac, String containerIfName, String containerMac) {
    }
}
