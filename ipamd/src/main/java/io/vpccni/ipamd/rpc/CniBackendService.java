package io.vpccni.ipamd.rpc;

import io.grpc.stub.StreamObserver;
import io.vpccni.ipamd.pod.PodNetworks;
import io.vpccni.proto.AddNetworkReply;
import io.vpccni.proto.AddNetworkRequest;
import io.vpccni.proto.CNIBackendGrpc;
import io.vpccni.proto.DelNetworkReply;
import io.vpccni.proto.DelNetworkRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Upstream's CNIBackend service: ADD and DEL, wire-compatible with upstream's plugin. */
final class CniBackendService extends CNIBackendGrpc.CNIBackendImplBase {
    private static final Logger log = LoggerFactory.getLogger(CniBackendService.class);

    private final PodNetworks pods;
    private final ClientVersions versions;
    private final NetworkFacts facts;
    private final CallMetrics metrics;

    CniBackendService(PodNetworks pods, ClientVersions versions, NetworkFacts facts, CallMetrics metrics) {
        this.metrics = metrics;
        this.pods = pods;
        this.versions = versions;
        this.facts = facts;
    }

    @Override
    public void addNetwork(AddNetworkRequest r, StreamObserver<AddNetworkReply> out) {
        metrics.received("ADD", "");
        Calls.serve(metrics, "ADD", r.getContainerID(), r.getK8SPODNAMESPACE() + "/" + r.getK8SPODNAME(), r.getIfName(), out, () -> {
            versions.requireCompatible(r.getClientVersion());
            var attached = pods.add(ProtoMapping.fromAdd(r), Calls.caller());
            log.info("ADD assigned {} on device {}", attached.allocation().ipv4Text(), attached.allocation().deviceNumber());
            return AddNetworkReply.newBuilder()
                    .setSuccess(true)
                    .addIPAllocationMetadata(ProtoMapping.metadata(attached.allocation()))
                    .setUseExternalSNAT(facts.useExternalSnat())
                    .addAllVPCv4CIDRs(facts.vpcV4Cidrs())
                    .setInterfaces(ProtoMapping.interfaces(attached.interfaces()))
                    .build();
        });
    }

    @Override
    public void delNetwork(DelNetworkRequest r, StreamObserver<DelNetworkReply> out) {
        metrics.received("DEL", r.getReason());
        Calls.serve(metrics, "DEL", r.getContainerID(), r.getK8SPODNAMESPACE() + "/" + r.getK8SPODNAME(), r.getIfName(), out, () -> {
            versions.requireCompatible(r.getClientVersion());
            var released = pods.del(ProtoMapping.fromDel(r), Calls.caller());
            released.ifPresentOrElse(
                    a -> log.info("DEL released {} (reason '{}')", a.ipv4Text(), r.getReason()),
                    () -> log.info("DEL found no address assigned (reason '{}')", r.getReason()));
            return DelNetworkReply.newBuilder()
                    .setSuccess(true)
                    .addAllIPAllocationMetadata(released.map(ProtoMapping::metadata).map(List::of).orElse(List.of()))
                    .build();
        });
    }
}
