package io.vpccni.cni.wire;

import io.vpccni.cni.wire.PodCall.PodInterfaces;
import io.vpccni.cni.wire.PodCall.PrevResult;
import io.vpccni.proto.AddNetworkReply;
import io.vpccni.proto.AddNetworkRequest;
import io.vpccni.proto.Attachment;
import io.vpccni.proto.CheckNetworkReply;
import io.vpccni.proto.CheckNetworkRequest;
import io.vpccni.proto.DelNetworkReply;
import io.vpccni.proto.DelNetworkRequest;
import io.vpccni.proto.Drift;
import io.vpccni.proto.GarbageCollectReply;
import io.vpccni.proto.GarbageCollectRequest;
import io.vpccni.proto.IPAllocationMetadata;
import io.vpccni.proto.StatusReply;
import io.vpccni.proto.StatusRequest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The plugin's hand-written codec against the classes protoc generates from rpc.proto, field by field. */
class MessagesCompatibilityTest {
    private static final PodCall CALL = new PodCall("aws-cni", "c0ffee", "eth0", "/var/run/netns/cni-1",
            "kube-system", "coredns-1", "uid-1", "infra-1", 8999, "abc", "standard",
            new PrevResult(new PodInterfaces("abc3a52ce780da", "02:00:00:00:00:01", "eth0", "0a:58:00:00:00:02"),
                    List.of("10.0.1.5/32", "10.0.1.6/32"), "169.254.1.1"));

    @Test
    void addNetworkRequestCarriesEveryFieldUnderUpstreamNumbers() throws Exception {
        var r = AddNetworkRequest.parseFrom(Messages.addNetworkRequest("1.0.0", CALL));
        assertEquals("1.0.0", r.getClientVersion());
        assertEquals("coredns-1", r.getK8SPODNAME());
        assertEquals("kube-system", r.getK8SPODNAMESPACE());
        assertEquals("infra-1", r.getK8SPODINFRACONTAINERID());
        assertEquals("c0ffee", r.getContainerID());
        assertEquals("eth0", r.getIfName());
        assertEquals("aws-cni", r.getNetworkName());
        assertEquals("/var/run/netns/cni-1", r.getNetns());
        assertEquals("uid-1", r.getK8SPODUID());
        assertEquals(8999, r.getNetworkConfig().getMtu());
        assertEquals("abc", r.getNetworkConfig().getVethPrefix());
        assertEquals("standard", r.getNetworkConfig().getPodSGEnforcingMode());
        assertTrue(r.getUnknownFields().asMap().isEmpty());
    }

    @Test
    void delNetworkRequestCarriesPrevResult() throws Exception {
        var r = DelNetworkRequest.parseFrom(Messages.delNetworkRequest("1.0.0", CALL, "PodDeleted"));
        assertEquals("1.0.0", r.getClientVersion());
        assertEquals("PodDeleted", r.getReason());
        assertEquals("c0ffee", r.getContainerID());
        assertEquals("eth0", r.getIfName());
        assertEquals("aws-cni", r.getNetworkName());
        assertEquals("uid-1", r.getK8SPODUID());
        assertEquals("coredns-1", r.getK8SPODNAME());
        assertEquals("kube-system", r.getK8SPODNAMESPACE());
        assertEquals("infra-1", r.getK8SPODINFRACONTAINERID());
        assertEquals("/var/run/netns/cni-1", r.getNetns());
        assertEquals(8999, r.getNetworkConfig().getMtu());
        assertEquals(List.of("10.0.1.5/32", "10.0.1.6/32"), r.getPrevResult().getIPAddressesList());
        assertEquals("169.254.1.1", r.getPrevResult().getGateway());
        assertEquals("abc3a52ce780da", r.getPrevResult().getInterfaces().getHostVethName());
        assertEquals("02:00:00:00:00:01", r.getPrevResult().getInterfaces().getHostVethMAC());
        assertEquals("eth0", r.getPrevResult().getInterfaces().getContainerIfName());
        assertEquals("0a:58:00:00:00:02", r.getPrevResult().getInterfaces().getContainerMAC());
        assertTrue(r.getUnknownFields().asMap().isEmpty());
    }

    @Test
    void checkStatusAndGcRequests() throws Exception {
        var check = CheckNetworkRequest.parseFrom(Messages.checkNetworkRequest("1.0.0", CALL));
        assertEquals("c0ffee", check.getContainerID());
        assertEquals("/var/run/netns/cni-1", check.getNetns());
        assertEquals("coredns-1", check.getK8SPODNAME());
        assertEquals("kube-system", check.getK8SPODNAMESPACE());
        assertEquals("uid-1", check.getK8SPODUID());
        assertEquals("abc", check.getNetworkConfig().getVethPrefix());
        assertEquals(2, check.getPrevResult().getIPAddressesCount());

        var status = StatusRequest.parseFrom(Messages.statusRequest("1.0.0", "aws-cni"));
        assertEquals("1.0.0", status.getClientVersion());
        assertEquals("aws-cni", status.getNetworkName());

        var gc = GarbageCollectRequest.parseFrom(Messages.garbageCollectRequest("1.0.0", "aws-cni",
                List.of(new String[]{"c1", "eth0"}, new String[]{"c2", "net1"})));
        assertEquals(List.of(Attachment.newBuilder().setContainerID("c1").setIfName("eth0").build(),
                Attachment.newBuilder().setContainerID("c2").setIfName("net1").build()), gc.getValidAttachmentsList());
    }

    @Test
    void negativeAndZeroIntegersFollowProtobufRules() throws Exception {
        var call = new PodCall("n", "c", "eth0", "", "", "", "", "", -1, "", "", null);
        assertEquals(-1, AddNetworkRequest.parseFrom(Messages.addNetworkRequest("1", call)).getNetworkConfig().getMtu());
        var zero = new PodCall("n", "c", "eth0", "", "", "", "", "", 0, "", "", null);
        assertFalse(AddNetworkRequest.parseFrom(Messages.addNetworkRequest("1", zero)).hasNetworkConfig());
    }

    @Test
    void repliesDecodeAndUnknownFieldsAreSkipped() throws Exception {
        var add = AddNetworkReply.newBuilder().setSuccess(true)
                .addIPAllocationMetadata(IPAllocationMetadata.newBuilder().setIPv4Addr("10.0.1.5").setDeviceNumber(2).setRouteTableId(3))
                .addIPAllocationMetadata(IPAllocationMetadata.newBuilder().setIPv4Addr("10.9.9.9"))
                .setUseExternalSNAT(true).addVPCv4CIDRs("10.0.0.0/16").addVPCv4CIDRs("100.64.0.0/16")
                .addVPCv6CIDRs("2600::/56").setPodVlanId(7).setPodENIMAC("x").setParentIfIndex(3).setNetworkPolicyMode("strict")
                .setInterfaces(io.vpccni.proto.PodInterfaces.newBuilder().setHostVethName("eni1").setHostVethMAC("m1")
                        .setContainerIfName("eth0").setContainerMAC("m2"))
                .build();
        var decoded = Messages.addNetworkReply(add.toByteArray());
        assertTrue(decoded.success());
        assertEquals("10.0.1.5", decoded.ipv4());
        assertEquals(2, decoded.deviceNumber());
        assertEquals(3, decoded.routeTableId());
        assertTrue(decoded.useExternalSnat());
        assertEquals(List.of("10.0.0.0/16", "100.64.0.0/16"), decoded.vpcV4Cidrs());
        assertEquals(new PodInterfaces("eni1", "m1", "eth0", "m2"), decoded.interfaces());

        assertTrue(Messages.delNetworkReply(DelNetworkReply.newBuilder().setSuccess(true).setPodVlanId(3).build().toByteArray()));
        var check = CheckNetworkReply.newBuilder().setHealthy(false)
                .addDrifts(Drift.newBuilder().setObject("rule 1536 from 10.0.1.5").setExpected("present").setActual("missing")).build();
        assertEquals(List.of(new Messages.Drift("rule 1536 from 10.0.1.5", "present", "missing")),
                Messages.checkNetworkReply(check.toByteArray()));
        var status = StatusReply.newBuilder().setReady(false).setReason("no ENI yet").setAvailableAddresses(3).setAssignedAddresses(4).build();
        assertEquals(new Messages.StatusReply(false, "no ENI yet", 3, 4), Messages.statusReply(status.toByteArray()));
        var gc = GarbageCollectReply.newBuilder().setReleasedAttachments(2).addErrors("veth eni1: EBUSY").build();
        assertEquals(new Messages.GcReply(2, List.of("veth eni1: EBUSY")), Messages.garbageCollectReply(gc.toByteArray()));
    }

    @Test
    void truncatedRepliesAreRejectedWithAReason() {
        var bytes = AddNetworkReply.newBuilder().setSuccess(true).addVPCv4CIDRs("10.0.0.0/16").build().toByteArray();
        var truncated = java.util.Arrays.copyOf(bytes, bytes.length - 3);
        var e = assertThrows(ProtoReader.ProtoException.class, () -> Messages.addNetworkReply(truncated));
        assertTrue(e.getMessage().contains("field 6"), e.getMessage());
    }
}
