package io.vpccni.cni.wire;

import io.vpccni.cni.wire.PodCall.PodInterfaces;
import io.vpccni.cni.wire.PodCall.PrevResult;
import io.vpccni.cni.wire.ProtoReader.ProtoException;

import java.util.ArrayList;
import java.util.List;

/**
 * The messages of proto/rpc.proto that the plugin sends and receives, encoded by hand so that the plugin
 * carries no protobuf runtime. Field numbers must match rpc.proto; MessagesCompatibilityTest proves it
 * against the generated classes, field by field.
 */
public final class Messages {
    private Messages() {
    }

    public static byte[] addNetworkRequest(String clientVersion, PodCall c) {
        return new ProtoWriter()
                .string(8, clientVersion)
                .string(1, c.podName())
                .string(2, c.podNamespace())
                .string(3, c.infraContainerId())
                .string(7, c.containerId())
                .string(5, c.ifName())
                .string(6, c.networkName())
                .string(4, c.netns())
                .string(100, c.podUid())
                .message(101, networkConfig(c))
                .toByteArray();
    }

    public static byte[] delNetworkRequest(String clientVersion, PodCall c, String reason) {
        return new ProtoWriter()
                .string(9, clientVersion)
                .string(1, c.podName())
                .string(2, c.podNamespace())
                .string(3, c.infraContainerId())
                .string(5, reason)
                .string(8, c.containerId())
                .string(6, c.ifName())
                .string(7, c.networkName())
                .string(10, c.podUid())
                .string(100, c.netns())
                .message(101, networkConfig(c))
                .message(102, prevResult(c.prevResult()))
                .toByteArray();
    }

    public static byte[] checkNetworkRequest(String clientVersion, PodCall c) {
        return new ProtoWriter()
                .string(1, clientVersion)
                .string(2, c.networkName())
                .string(3, c.containerId())
                .string(4, c.ifName())
                .string(5, c.netns())
                .string(6, c.podName())
                .string(7, c.podNamespace())
                .string(8, c.podUid())
                .message(9, networkConfig(c))
                .message(10, prevResult(c.prevResult()))
                .toByteArray();
    }

    public static byte[] statusRequest(String clientVersion, String networkName) {
        return new ProtoWriter().string(1, clientVersion).string(2, networkName).toByteArray();
    }

    /** {@code validAttachments} holds (containerID, ifName) pairs. */
    public static byte[] garbageCollectRequest(String clientVersion, String networkName, List<String[]> validAttachments) {
        var w = new ProtoWriter().string(1, clientVersion).string(2, networkName);
        for (var a : validAttachments) {
            w.message(3, new ProtoWriter().string(1, a[0]).string(2, a[1]));
        }
        return w.toByteArray();
    }

    private static ProtoWriter networkConfig(PodCall c) {
        return new ProtoWriter().int32(1, c.mtu()).string(2, c.vethPrefix()).string(3, c.podSgEnforcingMode());
    }

    private static ProtoWriter prevResult(PrevResult p) {
        if (p == null) {
            return null;
        }
        var w = new ProtoWriter().message(1, interfaces(p.interfaces()));
        for (var ip : p.ipCidrs()) {
            w.string(2, ip);
        }
        return w.string(3, p.gateway());
    }

    private static ProtoWriter interfaces(PodInterfaces i) {
        if (i == null) {
            return null;
        }
        return new ProtoWriter().string(1, i.hostVethName()).string(2, i.hostVethMac())
                .string(3, i.containerIfName()).string(4, i.containerMac());
    }

    public record AddReply(boolean success, String ipv4, int deviceNumber, int routeTableId, boolean useExternalSnat,
                           List<String> vpcV4Cidrs, PodInterfaces interfaces) {
    }

    public static AddReply addNetworkReply(byte[] bytes) throws ProtoException {
        var r = new ProtoReader(bytes);
        boolean success = false, externalSnat = false;
        String ipv4 = "";
        int device = 0, table = 0;
        var cidrs = new ArrayList<String>(2);
        PodInterfaces interfaces = new PodInterfaces("", "", "", "");
        for (var f = r.next(); f != 0; f = r.next()) {
            switch (f) {
                case 1 -> success = r.bool();
                case 2 -> {
                    // One pod interface gets one address; the first allocation is the pod's.
                    var m = r.message();
                    var first = ipv4.isEmpty();
                    for (var g = m.next(); g != 0; g = m.next()) {
                        switch (g) {
                            case 1 -> { var v = m.string(); if (first) ipv4 = v; }
                            case 3 -> { var v = m.int32(); if (first) device = v; }
                            case 4 -> { var v = m.int32(); if (first) table = v; }
                            default -> m.skip();
                        }
                    }
                }
                case 5 -> externalSnat = r.bool();
                case 6 -> cidrs.add(r.string());
                case 100 -> interfaces = podInterfaces(r.message());
                default -> r.skip();
            }
        }
        return new AddReply(success, ipv4, device, table, externalSnat, cidrs, interfaces);
    }

    private static PodInterfaces podInterfaces(ProtoReader m) throws ProtoException {
        String host = "", hostMac = "", container = "", containerMac = "";
        for (var f = m.next(); f != 0; f = m.next()) {
            switch (f) {
                case 1 -> host = m.string();
                case 2 -> hostMac = m.string();
                case 3 -> container = m.string();
                case 4 -> containerMac = m.string();
                default -> m.skip();
            }
        }
        return new PodInterfaces(host, hostMac, container, containerMac);
    }

    /** @return whether the daemon reported success (field 1 of DelNetworkReply) */
    public static boolean delNetworkReply(byte[] bytes) throws ProtoException {
        var r = new ProtoReader(bytes);
        var success = false;
        for (var f = r.next(); f != 0; f = r.next()) {
            if (f == 1) {
                success = r.bool();
            } else {
                r.skip();
            }
        }
        return success;
    }

    public record Drift(String object, String expected, String actual) {
        @Override
        public String toString() {
            return object + ": expected " + expected + ", found " + actual;
        }
    }

    public static List<Drift> checkNetworkReply(byte[] bytes) throws ProtoException {
        var r = new ProtoReader(bytes);
        var drifts = new ArrayList<Drift>();
        for (var f = r.next(); f != 0; f = r.next()) {
            if (f == 2) {
                var m = r.message();
                String object = "", expected = "", actual = "";
                for (var g = m.next(); g != 0; g = m.next()) {
                    switch (g) {
                        case 1 -> object = m.string();
                        case 2 -> expected = m.string();
                        case 3 -> actual = m.string();
                        default -> m.skip();
                    }
                }
                drifts.add(new Drift(object, expected, actual));
            } else {
                r.skip();
            }
        }
        return drifts;
    }

    public record StatusReply(boolean ready, String reason, int availableAddresses, int assignedAddresses) {
    }

    public static StatusReply statusReply(byte[] bytes) throws ProtoException {
        var r = new ProtoReader(bytes);
        var ready = false;
        var reason = "";
        int available = 0, assigned = 0;
        for (var f = r.next(); f != 0; f = r.next()) {
            switch (f) {
                case 1 -> ready = r.bool();
                case 2 -> reason = r.string();
                case 3 -> available = r.int32();
                case 4 -> assigned = r.int32();
                default -> r.skip();
            }
        }
        return new StatusReply(ready, reason, available, assigned);
    }

    public record GcReply(int releasedAttachments, List<String> errors) {
    }

    public static GcReply garbageCollectReply(byte[] bytes) throws ProtoException {
        var r = new ProtoReader(bytes);
        var released = 0;
        var errors = new ArrayList<String>();
        for (var f = r.next(); f != 0; f = r.next()) {
            switch (f) {
                case 1 -> released = r.int32();
                case 2 -> errors.add(r.string());
                default -> r.skip();
            }
        }
        return new GcReply(released, errors);
    }
}
