package io.vpccni.ipamd.rpc;

import io.grpc.stub.StreamObserver;
import io.vpccni.ipamd.pod.PodNetworks;
import io.vpccni.ipamd.pool.AttachmentKey;
import io.vpccni.ipamd.pool.IpAllocator;
import io.vpccni.proto.CNILifecycleGrpc;
import io.vpccni.proto.CheckNetworkReply;
import io.vpccni.proto.CheckNetworkRequest;
import io.vpccni.proto.GarbageCollectReply;
import io.vpccni.proto.GarbageCollectRequest;
import io.vpccni.proto.StatusReply;
import io.vpccni.proto.StatusRequest;

import java.util.HashSet;

/** The CNI verbs upstream has no RPC for: CHECK, STATUS and GC. */
final class CniLifecycleService extends CNILifecycleGrpc.CNILifecycleImplBase {
    private final PodNetworks pods;
    private final IpAllocator allocator;
    private final ClientVersions versions;
    private final CallMetrics metrics;

    CniLifecycleService(PodNetworks pods, IpAllocator allocator, ClientVersions versions, CallMetrics metrics) {
        this.metrics = metrics;
        this.pods = pods;
        this.allocator = allocator;
        this.versions = versions;
    }

    @Override
    public void checkNetwork(CheckNetworkRequest r, StreamObserver<CheckNetworkReply> out) {
        Calls.serve(metrics, "CHECK", r.getContainerID(), r.getK8SPODNAMESPACE() + "/" + r.getK8SPODNAME(), r.getIfName(), out, () -> {
            versions.requireCompatible(r.getClientVersion());
            var drifts = pods.check(ProtoMapping.fromCheck(r), Calls.caller());
            var reply = CheckNetworkReply.newBuilder().setHealthy(drifts.isEmpty());
            drifts.forEach(d -> reply.addDrifts(ProtoMapping.drift(d)));
            return reply.build();
        });
    }

    @Override
    public void status(StatusRequest r, StreamObserver<StatusReply> out) {
        Calls.serve(metrics, "STATUS", "", "", "", out, () -> {
            versions.requireCompatible(r.getClientVersion());
            var s = allocator.status();
            return StatusReply.newBuilder()
                    .setReady(s.ready())
                    .setReason(s.reason() == null ? "" : s.reason())
                    .setAvailableAddresses(s.availableAddresses())
                    .setAssignedAddresses(s.assignedAddresses())
                    .build();
        });
    }

    @Override
    public void garbageCollect(GarbageCollectRequest r, StreamObserver<GarbageCollectReply> out) {
        Calls.serve(metrics, "GC", "", "", "", out, () -> {
            versions.requireCompatible(r.getClientVersion());
            if (r.getNetworkName().isEmpty()) {
                throw new IllegalArgumentException("NetworkName is empty");
            }
            var valid = new HashSet<AttachmentKey>();
            for (var a : r.getValidAttachmentsList()) {
                valid.add(ProtoMapping.key(r.getNetworkName(), a.getContainerID(), a.getIfName()));
            }
            var outcome = pods.collectGarbage(r.getNetworkName(), valid);
            return GarbageCollectReply.newBuilder()
                    .setReleasedAttachments(outcome.released())
                    .addAllErrors(outcome.errors())
                    .build();
        });
    }
}
