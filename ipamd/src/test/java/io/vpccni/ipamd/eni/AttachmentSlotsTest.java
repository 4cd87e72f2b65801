package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.cloud.Instance;
import io.vpccni.ipamd.cloud.Instance.AttachedEni;
import io.vpccni.ipamd.cloud.InterfaceType;
import io.vpccni.ipamd.pool.Datastore.UnpooledEni;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where a new ENI can go, from what EC2 says is attached: every ENI holds a slot, the pool's or not. */
class AttachmentSlotsTest {
    private static AttachedEni eni(String id, int device, int card, InterfaceType type) {
        return new AttachedEni(id, "attach-" + id, device, card, type);
    }

    private static Instance instance(AttachedEni... enis) {
        return new Instance("i-1", "m5.large", "subnet-1", "vpc-1", List.of(enis));
    }

    @Test
    void theLowestFreeDeviceOnCardZeroIsChosen() {
        var verdict = AttachmentSlots.judge(instance(eni("eni-p", 0, 0, InterfaceType.INTERFACE), eni("eni-b", 2, 0, InterfaceType.INTERFACE)),
                Set.of("eni-p", "eni-b"), List.of(), 4);
        assertEquals(OptionalInt.of(1), verdict.device());
        assertEquals(List.of(), verdict.unpooled());
    }

    @Test
    void enisOutsideThePoolFillTheSlotsToo() {
        var verdict = AttachmentSlots.judge(instance(eni("eni-p", 0, 0, InterfaceType.INTERFACE), eni("eni-t", 1, 0, InterfaceType.TRUNK),
                eni("eni-x", 2, 0, InterfaceType.INTERFACE)), Set.of("eni-p"), List.of(), 3);
        assertEquals(OptionalInt.empty(), verdict.device());
        assertTrue(verdict.why().contains("all 3 ENI slots") && verdict.why().contains("2 by ENIs outside it"), verdict.why());
        assertEquals(2, verdict.newlySeen().size());
        assertTrue(verdict.newlySeen().get(0).reason().contains("trunk"), verdict.newlySeen().get(0).reason());
        assertTrue(verdict.newlySeen().get(1).reason().contains("attached by someone else"), verdict.newlySeen().get(1).reason());
    }

    @Test
    void anEniOnAnotherCardTakesASlotButNoDeviceIndexOnCardZero() {
        var verdict = AttachmentSlots.judge(instance(eni("eni-p", 0, 0, InterfaceType.INTERFACE), eni("eni-c1", 1, 1, InterfaceType.INTERFACE)),
                Set.of("eni-p"), List.of(), 3);
        assertEquals(OptionalInt.of(1), verdict.device());
        var full = AttachmentSlots.judge(instance(eni("eni-p", 0, 0, InterfaceType.INTERFACE), eni("eni-c1", 0, 1, InterfaceType.INTERFACE)),
                Set.of("eni-p"), List.of(), 2);
        assertEquals(OptionalInt.empty(), full.device());
    }

    @Test
    void knownReasonsAreKeptAndDetachedEnisForgotten() {
        var known = List.of(new UnpooledEni("eni-n", 0, 1, "tagged no_manage"), new UnpooledEni("eni-gone", 0, 2, "trunk"));
        var verdict = AttachmentSlots.judge(instance(eni("eni-p", 0, 0, InterfaceType.INTERFACE), eni("eni-n", 1, 0, InterfaceType.INTERFACE)),
                Set.of("eni-p"), known, 3);
        assertEquals(List.of(known.getFirst()), verdict.unpooled());
        assertEquals(List.of(), verdict.newlySeen());
        assertEquals(OptionalInt.of(2), verdict.device());
    }
}
