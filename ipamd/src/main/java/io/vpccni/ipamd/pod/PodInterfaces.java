package io.vpccni.ipamd.pod;

/** The two ends of a pod's veth pair, as reported in the CNI result. */
public record PodInterfaces(String hostVethName, String hostVethMac, String containerIfName, String containerMac) {
}
