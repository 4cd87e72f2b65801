package io.vpccni.cni;

import io.vpccni.cni.grpc.GrpcClient;
import io.vpccni.cni.grpc.GrpcException;
import io.vpccni.cni.grpc.TransportException;
import io.vpccni.cni.wire.Messages;
import io.vpccni.cni.wire.PodCall;
import io.vpccni.cni.wire.ProtoReader.ProtoException;

import java.nio.file.Path;

/** The CNI verbs: each is one unary call to ipamd, which does all the work, and a result or an error. */
public final class Plugin {
    /** The wire-protocol version sent as ClientVersion; the daemon checks its major. */
    public static final String PROTOCOL_VERSION = "1.0.0";

    private static final String BACKEND = "/rpc.CNIBackend/";
    private static final String LIFECYCLE = "/rpc.CNILifecycle/";

    /** What to print and what to log: {@code stdout} is empty for verbs that print nothing on success. */
    public record Outcome(String stdout, String ip) {
    }

    private Plugin() {
    }

    public static Outcome run(CniEnv env, NetConf conf) throws CniException {
        var client = new GrpcClient(Path.of(conf.ipamdSocket()), "aws-cni/" + PROTOCOL_VERSION);
        return switch (env.command()) {
            case "ADD" -> add(client, env, conf);
            case "DEL" -> del(client, env, conf);
            case "CHECK" -> check(client, env, conf);
            case "STATUS" -> status(client, conf);
            case "GC" -> gc(client, conf);
            default -> throw new CniException(CniException.INVALID_ENVIRONMENT, "unknown CNI_COMMAND '" + env.command() + "'");
        };
    }

    private static Outcome add(GrpcClient client, CniEnv env, NetConf conf) throws CniException {
        var reply = call(client, "ADD", BACKEND + "AddNetwork",
                Messages.addNetworkRequest(PROTOCOL_VERSION, podCall(env, conf)), conf);
        Messages.AddReply add;
        try {
            add = Messages.addNetworkReply(reply);
        } catch (ProtoException e) {
            throw malformed("ADD", e);
        }
        if (!add.success() || add.ipv4().isEmpty()) {
            throw new CniException(CniException.INTERNAL, "ADD failed: ipamd answered without an address for container "
                    + env.containerId());
        }
        return new Outcome(Results.add(conf.cniVersion(), add, env.ifName(), env.netns()), add.ipv4());
    }

    private static Outcome del(GrpcClient client, CniEnv env, NetConf conf) throws CniException {
        var reply = call(client, "DEL", BACKEND + "DelNetwork",
                Messages.delNetworkRequest(PROTOCOL_VERSION, podCall(env, conf), "PodDeleted"), conf);
        try {
            if (!Messages.delNetworkReply(reply)) {
                throw new CniException(CniException.INTERNAL, "DEL failed: ipamd did not confirm the teardown of container "
                        + env.containerId());
            }
        } catch (ProtoException e) {
            throw malformed("DEL", e);
        }
        return new Outcome("", conf.prevResult() == null ? null : conf.prevResult().ipCidrs().isEmpty() ? null
                : conf.prevResult().ipCidrs().getFirst());
    }

    private static Outcome check(GrpcClient client, CniEnv env, NetConf conf) throws CniException {
        requireVersion(conf, "0.4.0", "CHECK");
        if (conf.prevResult() == null) {
            throw new CniException(CniException.INVALID_NETWORK_CONFIG, "CHECK needs prevResult, and the configuration has none");
        }
        var reply = call(client, "CHECK", LIFECYCLE + "CheckNetwork",
                Messages.checkNetworkRequest(PROTOCOL_VERSION, podCall(env, conf)), conf);
        java.util.List<Messages.Drift> drifts;
        try {
            drifts = Messages.checkNetworkReply(reply);
        } catch (ProtoException e) {
            throw malformed("CHECK", e);
        }
        if (!drifts.isEmpty()) {
            var details = new StringBuilder();
            for (var d : drifts) {
                details.append(details.isEmpty() ? "" : "; ").append(d);
            }
            throw new CniException(CniException.INTERNAL, "CHECK found " + drifts.size() + " difference(s) in the network of container "
                    + env.containerId() + ": " + drifts.getFirst(), details.toString());
        }
        return new Outcome("", null);
    }

    private static Outcome status(GrpcClient client, NetConf conf) throws CniException {
        requireVersion(conf, "1.1.0", "STATUS");
        byte[] reply;
        try {
            reply = client.call(LIFECYCLE + "Status", Messages.statusRequest(PROTOCOL_VERSION, conf.name()), conf.ipamdTimeoutMillis());
        } catch (GrpcException | TransportException e) {
            throw DaemonErrors.statusUnknown(e);
        }
        Messages.StatusReply status;
        try {
            status = Messages.statusReply(reply);
        } catch (ProtoException e) {
            throw malformed("STATUS", e);
        }
        if (!status.ready()) {
            throw new CniException(CniException.NOT_AVAILABLE, "ipamd cannot assign pod addresses: " + status.reason());
        }
        return new Outcome("", null);
    }

    private static Outcome gc(GrpcClient client, NetConf conf) throws CniException {
        requireVersion(conf, "1.1.0", "GC");
        if (conf.validAttachments() == null) {
            throw missingValidAttachments(conf);
        }
        var reply = call(client, "GC", LIFECYCLE + "GarbageCollect",
                Messages.garbageCollectRequest(PROTOCOL_VERSION, conf.name(), conf.validAttachments()), conf);
        Messages.GcReply gc;
        try {
            gc = Messages.garbageCollectReply(reply);
        } catch (ProtoException e) {
            throw malformed("GC", e);
        }
        if (!gc.errors().isEmpty()) {
            throw new CniException(CniException.INTERNAL, "GC released " + gc.releasedAttachments() + " attachment(s) but could not clean up "
                    + gc.errors().size() + ": " + gc.errors().getFirst(), String.join("; ", gc.errors()));
        }
        return new Outcome("", null);
    }

    /**
     * GC releases every attachment of the network that the list does not name, so without the list (as
     * opposed to an empty one) every attachment would look stale. Refused before any call to the daemon.
     */
    private static CniException missingValidAttachments(NetConf conf) {
        return new CniException(CniException.INVALID_NETWORK_CONFIG, "invalid network configuration: GC needs \""
                + NetConf.VALID_ATTACHMENTS + "\", the attachments of network \"" + conf.name()
                + "\" still in use, and the configuration has none; nothing was collected");
    }

    private static byte[] call(GrpcClient client, String verb, String method, byte[] request, NetConf conf) throws CniException {
        try {
            return client.call(method, request, conf.ipamdTimeoutMillis());
        } catch (GrpcException e) {
            throw DaemonErrors.toCni(verb, e);
        } catch (TransportException e) {
            throw DaemonErrors.toCni(verb, e);
        }
    }

    static PodCall podCall(CniEnv env, NetConf conf) {
        var a = env.args();
        return new PodCall(conf.name(), env.containerId(), env.ifName(), env.netns(), a.podNamespace(), a.podName(),
                a.podUid(), a.infraContainerId(), conf.mtu(), conf.vethPrefix(), conf.podSgEnforcingMode(), conf.prevResult());
    }

    private static void requireVersion(NetConf conf, String minimum, String verb) throws CniException {
        if (!CniVersion.atLeast(conf.cniVersion(), minimum)) {
            throw new CniException(CniException.INCOMPATIBLE_VERSION, verb + " is defined from CNI " + minimum
                    + " on; the configuration says cniVersion " + conf.cniVersion());
        }
    }

    private static CniException malformed(String verb, ProtoException e) {
        return new CniException(CniException.INTERNAL, verb + " failed: ipamd's reply is malformed: " + e.getMessage());
    }
}
