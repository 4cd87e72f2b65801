package io.vpccni.ipamd.rpc;

import io.vpccni.ipamd.pod.Drift;
import io.vpccni.ipamd.pod.NetworkSettings;
import io.vpccni.ipamd.pod.PodInterfaces;
import io.vpccni.ipamd.pod.PodNetworkRequest;
import io.vpccni.ipamd.pod.PrevResult;
import io.vpccni.ipamd.pool.Allocation;
import io.vpccni.ipamd.pool.AttachmentKey;
import io.vpccni.ipamd.pool.PodIdentity;
import io.vpccni.proto.AddNetworkRequest;
import io.vpccni.proto.CheckNetworkRequest;
import io.vpccni.proto.DelNetworkRequest;
import io.vpccni.proto.IPAllocationMetadata;
import io.vpccni.proto.PodNetworkConfig;

/** Translates wire messages to domain requests (validating them) and domain results to wire messages. */
final class ProtoMapping {
    /** Linux IFNAMSIZ - 1. */
    private static final int MAX_IFNAME = 15;

    private ProtoMapping() {
    }

    static PodNetworkRequest fromAdd(AddNetworkRequest r) {
        var key = key(r.getNetworkName(), r.getContainerID(), r.getIfName());
        if (r.getNetns().isEmpty()) {
            throw new IllegalArgumentException("Netns is empty: ADD needs the pod's network namespace");
        }
        var pod = new PodIdentity(r.getK8SPODNAMESPACE(), r.getK8SPODNAME(), r.getK8SPODUID(), r.getK8SPODINFRACONTAINERID());
        return new PodNetworkRequest(key, pod, r.getNetns(), settings(r.hasNetworkConfig() ? r.getNetworkConfig() : null), null);
    }

    static PodNetworkRequest fromDel(DelNetworkRequest r) {
        var key = key(r.getNetworkName(), r.getContainerID(), r.getIfName());
        var pod = new PodIdentity(r.getK8SPODNAMESPACE(), r.getK8SPODNAME(), r.getK8SPODUID(), r.getK8SPODINFRACONTAINERID());
        return new PodNetworkRequest(key, pod, r.getNetns(), settings(r.hasNetworkConfig() ? r.getNetworkConfig() : null),
                r.hasPrevResult() ? prevResult(r.getPrevResult()) : null);
    }

    static PodNetworkRequest fromCheck(CheckNetworkRequest r) {
        var key = key(r.getNetworkName(), r.getContainerID(), r.getIfName());
        var pod = new PodIdentity(r.getK8SPODNAMESPACE(), r.getK8SPODNAME(), r.getK8SPODUID(), "");
        return new PodNetworkRequest(key, pod, r.getNetns(), settings(r.hasNetworkConfig() ? r.getNetworkConfig() : null),
                r.hasPrevResult() ? prevResult(r.getPrevResult()) : null);
    }

    static AttachmentKey key(String networkName, String containerId, String ifName) {
        if (networkName.isEmpty()) {
            throw new IllegalArgumentException("NetworkName is empty");
        }
        if (containerId.isEmpty()) {
            throw new IllegalArgumentException("ContainerID is empty");
        }
        if (ifName.isEmpty() || ifName.length() > MAX_IFNAME || ifName.contains("/") || ifName.equals(".")
                || ifName.equals("..") || ifName.chars().anyMatch(c -> c <= ' ' || c == ':')) {
            throw new IllegalArgumentException("IfName '" + ifName + "' is not a valid interface name"
                    + " (1-15 characters, no '/', ':' or whitespace)");
        }
        return new AttachmentKey(networkName, containerId, ifName);
    }

    private static NetworkSettings settings(PodNetworkConfig c) {
        if (c == null) {
            return NetworkSettings.defaults();
        }
        if (c.getMtu() != 0 && (c.getMtu() < 576 || c.getMtu() > 9001)) {
            throw new IllegalArgumentException("MTU " + c.getMtu() + " is outside 576..9001");
        }
        return new NetworkSettings(c.getMtu(), c.getVethPrefix(), c.getPodSGEnforcingMode());
    }

    private static PrevResult prevResult(io.vpccni.proto.PrevResult p) {
        var i = p.getInterfaces();
        return new PrevResult(new PodInterfaces(i.getHostVethName(), i.getHostVethMAC(), i.getContainerIfName(), i.getContainerMAC()),
                p.getIPAddressesList(), p.getGateway());
    }

    static IPAllocationMetadata metadata(Allocation a) {
        return IPAllocationMetadata.newBuilder()
                .setIPv4Addr(a.ipv4Text())
                .setDeviceNumber(a.deviceNumber())
                .setRouteTableId(a.routeTableId())
                .build();
    }

    static io.vpccni.proto.PodInterfaces interfaces(PodInterfaces i) {
        return io.vpccni.proto.PodInterfaces.newBuilder()
                .setHostVethName(i.hostVethName())
                .setHostVethMAC(i.hostVethMac())
                .setContainerIfName(i.containerIfName())
                .setContainerMAC(i.containerMac())
                .build();
    }

    static io.vpccni.proto.Drift drift(Drift d) {
        return io.vpccni.proto.Drift.newBuilder().setObject(d.object()).setExpected(d.expected()).setActual(d.actual()).build();
    }
}
