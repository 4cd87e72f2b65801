package io.vpccni.ipamd.pod;

import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.net.Link;
import io.vpccni.ipamd.net.Route;
import io.vpccni.ipamd.net.Rule;
import io.vpccni.ipamd.pool.Allocation;
import io.vpccni.ipamd.pool.AttachmentKey;
import io.vpccni.ipamd.pool.PodIdentity;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HostSideCheckTest {
    private static final IpPrefix IP = IpPrefix.of("10.0.1.5/32");
    private static final Allocation ON_SECONDARY = new Allocation(new AttachmentKey("aws-cni", "c1", "eth0"),
            new PodIdentity("default", "web", "", ""), IpPrefix.ipv4("10.0.1.5"), 1, 2, "eniabc");
    private static final Link VETH = new Link(7, "eniabc", "02:00:00:00:00:07", 9001, true, "veth");
    private static final Route HOST_ROUTE = Route.link(IP, 7, Route.MAIN);
    private static final Rule TO_POD = Rule.to(512, IP, Route.MAIN);
    private static final Rule FROM_POD = Rule.from(1536, IP, 2);

    @Test
    void aCompleteHostSideHasNoDrift() {
        var check = new HostSideCheck(List.of(VETH), List.of(HOST_ROUTE), List.of(TO_POD, FROM_POD));
        assertEquals(new HostSideCheck.Result("eniabc", List.of()), check.check(ON_SECONDARY, "eniabc"));
    }

    @Test
    void eachMissingPieceIsNamed() {
        var down = new Link(7, "eniabc", "02:00:00:00:00:07", 9001, false, "veth");
        var check = new HostSideCheck(List.of(down), List.of(), List.of(TO_POD));
        assertEquals(List.of(new Drift("host veth eniabc", "up", "down"),
                new Drift("route 10.0.1.5/32 dev eniabc scope link in main", "present", "missing"),
                new Drift(FROM_POD.toString(), "present", "missing")), check.check(ON_SECONDARY, "eniabc").drifts());
        assertEquals(List.of(new Drift("host veth eniabc", "present", "missing"), new Drift(TO_POD.toString(), "present", "missing"),
                new Drift(FROM_POD.toString(), "present", "missing")),
                new HostSideCheck(List.of(), List.of(), List.of()).check(ON_SECONDARY, "eniabc").drifts());
    }
}
