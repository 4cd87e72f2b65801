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

import java.util.List;

/** Translates wire messages to domain requests (validating them) and domain results to wire messages. */
final class ProtoMapping {
    /** Linux IFNAMSIZ - 1. */
    private static final int MAX_IFNAME = 15;
    /** PATH_MAX: the longest string any field may carry (a netns path). */
    private static final int MAX_TEXT = 4096;
    /** Kubernetes' limits: a namespace is a DNS label, a pod name a DNS subdomain. */
    private static final int MAX_NAMESPACE = 63;
    private static final int MAX_POD_NAME = 253;

    private ProtoMapping() {
    }

    static PodNetworkRequest fromAdd(AddNetworkRequest r) {
        var key = key(r.getNetworkName(), r.getContainerID(), r.getIfName());
        if (r.getNetns().isEmpty()) {
            throw new IllegalArgumentException("Netns is empty: ADD needs the pod's network namespace");
        }
        var pod = pod(r.getK8SPODNAMESPACE(), r.getK8SPODNAME(), r.getK8SPODUID(), r.getK8SPODINFRACONTAINERID());
        return new PodNetworkRequest(key, pod, netns(r.getNetns()), settings(r.hasNetworkConfig() ? r.getNetworkConfig() : null), null);
    }

    static PodNetworkRequest fromDel(DelNetworkRequest r) {
        var key = key(r.getNetworkName(), r.getContainerID(), r.getIfName());
        var pod = pod(r.getK8SPODNAMESPACE(), r.getK8SPODNAME(), r.getK8SPODUID(), r.getK8SPODINFRACONTAINERID());
        return new PodNetworkRequest(key, pod, netns(r.getNetns()), settings(r.hasNetworkConfig() ? r.getNetworkConfig() : null),
                r.hasPrevResult() ? prevResult(r.getPrevResult()) : null);
    }

    static PodNetworkRequest fromCheck(CheckNetworkRequest r) {
        var key = key(r.getNetworkName(), r.getContainerID(), r.getIfName());
        var pod = pod(r.getK8SPODNAMESPACE(), r.getK8SPODNAME(), r.getK8SPODUID(), "");
        return new PodNetworkRequest(key, pod, netns(r.getNetns()), settings(r.hasNetworkConfig() ? r.getNetworkConfig() : null),
                r.hasPrevResult() ? prevResult(r.getPrevResult()) : null);
    }

    private static PodIdentity pod(String namespace, String name, String uid, String infraContainerId) {
        return new PodIdentity(bounded("K8S_POD_NAMESPACE", namespace, MAX_NAMESPACE), bounded("K8S_POD_NAME", name, MAX_POD_NAME),
                bounded("K8S_POD_UID", uid, MAX_TEXT), bounded("K8S_POD_INFRA_CONTAINER_ID", infraContainerId, MAX_TEXT));
    }

    private static String netns(String path) {
        bounded("Netns", path, MAX_TEXT);
        if (path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("Netns contains a NUL character");
        }
        return path;
    }

    /** Every string a request carries is bounded: they reach logs, file names and kernel calls. */
    private static String bounded(String field, String value, int max) {
        if (value.length() > max) {
            throw new IllegalArgumentException(field + " is " + value.length() + " characters long; at most " + max + " are accepted");
        }
        return value;
    }

    static AttachmentKey key(String networkName, String containerId, String ifName) {
        bounded("NetworkName", networkName, MAX_TEXT);
        bounded("ContainerID", containerId, MAX_TEXT);
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
        return new NetworkSettings(c.getMtu(), bounded("vethPrefix", c.getVethPrefix(), 4),
                bounded("podSGEnforcingMode", c.getPodSGEnforcingMode(), 16));
    }

    private static PrevResult prevResult(io.vpccni.proto.PrevResult p) {
        var i = p.getInterfaces();
        if (p.getIPAddressesCount() > 16) {
            throw new IllegalArgumentException("prevResult carries " + p.getIPAddressesCount() + " addresses; at most 16 are accepted");
        }
        for (var text : List.of(i.getHostVethName(), i.getHostVethMAC(), i.getContainerIfName(), i.getContainerMAC(), p.getGateway())) {
            bounded("prevResult field", text, 64);
        }
        p.getIPAddressesList().forEach(a -> bounded("prevResult address", a, 64));
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
