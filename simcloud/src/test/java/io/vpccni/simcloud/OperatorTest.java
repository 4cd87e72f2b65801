package io.vpccni.simcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Changes behind the daemon's back: EC2 state changes, IMDS shows them as real IMDS does, the API counters do not count them. */
class OperatorTest {
    private final ManualClock clock = new ManualClock();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private SimulatedAccount account;
    private Operator operator;
    private Ec2Server ec2Server;
    private Ec2Server.AccountEndpoint endpoint;
    private ImdsServer imdsServer;
    private ImdsTestClient imds;
    private String subnet;
    private String node;
    private NetworkInterface eni;

    @BeforeEach
    void setUp() throws Exception {
        account = new SimulatedAccount("111122223333", "10.0.0.0/16", clock, 7);
        subnet = account.createSubnet("10.0.1.0/24", "us-west-2a");
        node = account.launchInstance("m5.large", subnet, List.of(account.defaultSecurityGroupId()));
        account.addListener(new AttachmentListener() {
            public void attached(String instanceId, NetworkInterface e) { events.add("attached " + e.id() + " to " + instanceId); }
            public void detached(String instanceId, NetworkInterface e) { events.add("detached " + e.id() + " from " + instanceId); }
        });
        operator = account.operator();
        ec2Server = Ec2Server.start(clock);
        endpoint = ec2Server.register("AKIDTEST", account);
        imdsServer = ImdsServer.start(account, node, clock);
        imds = new ImdsTestClient(imdsServer.uri());
        eni = account.createNetworkInterface(new SimulatedAccount.CreateEni(subnet, List.of(), "aws-K8S-" + node, 3, 0, Map.of()));
        operator.attach(eni.id(), node, 1);
    }

    @AfterEach
    void tearDown() {
        if (imdsServer != null) imdsServer.close();
        if (ec2Server != null) ec2Server.close();
    }

    private int available() {
        return account.subnet(subnet).availableAddresses();
    }

    @Test
    void unassignedAndAssignedAddressesShowInImdsAtOnce() throws Exception {
        var ips = account.networkInterface(eni.id()).allIps();
        assertEquals(ips, imds.perMac(eni.macAddress(), "local-ipv4s"));
        int before = available();

        operator.unassignIp(eni.id(), ips.get(2));
        var fewer = new ArrayList<>(ips);
        fewer.remove(2);
        assertEquals(fewer, imds.perMac(eni.macAddress(), "local-ipv4s"));
        assertEquals(before + 1, available());

        operator.assignIp(eni.id(), "10.0.1.200");
        assertTrue(imds.perMac(eni.macAddress(), "local-ipv4s").contains("10.0.1.200"));
        var more = operator.assignIps(eni.id(), 2);
        assertEquals(2, more.size());
        assertTrue(imds.perMac(eni.macAddress(), "local-ipv4s").containsAll(more));
        assertEquals(before + 1 - 3, available());
        assertEquals("InvalidIPAddress.InUse", assertThrows(Ec2Error.class, () -> operator.assignIp(eni.id(), "10.0.1.200")).code());
    }

    @Test
    void prefixesComeAndGoInImds() throws Exception {
        assertEquals(List.of(), imds.perMac(eni.macAddress(), "ipv4-prefix"));
        var prefix = operator.assignPrefix(eni.id());
        assertTrue(prefix.endsWith("/28"), prefix);
        assertEquals(List.of(prefix), imds.perMac(eni.macAddress(), "ipv4-prefix"));
        operator.unassignPrefix(eni.id(), prefix);
        assertEquals(List.of(), imds.perMac(eni.macAddress(), "ipv4-prefix"));
        assertEquals("InvalidParameterValue", assertThrows(Ec2Error.class, () -> operator.unassignPrefix(eni.id(), prefix)).code());
    }

    @Test
    void aDetachedEniLeavesImdsAndCanBeAttachedAgainAtAnotherIndex() throws Exception {
        var primaryMac = account.instance(node).primaryInterface().macAddress();
        assertEquals(List.of(primaryMac, eni.macAddress()), imds.macs());

        operator.detach(eni.id());
        assertEquals("available", account.networkInterface(eni.id()).status());
        assertEquals(List.of(primaryMac), imds.macs());
        assertTrue(imds.get("network/interfaces/macs/" + eni.macAddress() + "/interface-id").isEmpty());
        assertEquals("IncorrectState", assertThrows(Ec2Error.class, () -> operator.detach(eni.id())).code());

        operator.attach(eni.id(), node, 2);
        assertEquals(List.of(primaryMac, eni.macAddress()), imds.macs());
        assertEquals(List.of("2"), imds.perMac(eni.macAddress(), "device-number"));
        assertEquals(List.of("attached " + eni.id() + " to " + node, "detached " + eni.id() + " from " + node,
                "attached " + eni.id() + " to " + node), events.subList(events.size() - 3, events.size()));

        var primary = account.instance(node).primaryInterface().id();
        assertEquals("OperationNotPermitted", assertThrows(Ec2Error.class, () -> operator.detach(primary)).code());
    }

    @Test
    void onlyAnAvailableEniCanBeDeleted() {
        int before = available();
        assertEquals("InvalidParameterValue", assertThrows(Ec2Error.class, () -> operator.delete(eni.id())).code());
        operator.detach(eni.id());
        operator.delete(eni.id());
        assertEquals(before + 4, available());
        assertEquals("InvalidNetworkInterfaceID.NotFound", assertThrows(Ec2Error.class, () -> account.networkInterface(eni.id())).code());
    }

    @Test
    void attachingInAnotherZoneIsRefusedAsByTheApi() {
        var otherZone = account.createSubnet("10.0.2.0/24", "us-west-2c");
        var far = account.createNetworkInterface(new SimulatedAccount.CreateEni(otherZone, List.of(), "", 0, 0, Map.of()));
        var e = assertThrows(Ec2Error.class, () -> operator.attach(far.id(), node, 2));
        assertEquals("InvalidParameterCombination", e.code());
        assertEquals(400, e.httpStatus());
        assertTrue(e.getMessage().contains("same availability zone"), e.getMessage());
    }

    @Test
    void terminationDeletesDeleteOnTerminationEnisAndFreesTheOthers() throws Exception {
        var kept = account.createNetworkInterface(new SimulatedAccount.CreateEni(subnet, List.of(), "", 0, 0, Map.of()));
        var attachment = operator.attach(kept.id(), node, 2);
        account.setDeleteOnTermination(eni.id(), account.networkInterface(eni.id()).attachment().orElseThrow().id(), true);
        var primary = account.instance(node).primaryInterface().id();
        int before = available();

        operator.terminate(node);
        var left = account.networkInterfaces().stream().map(NetworkInterface::id).toList();
        assertEquals(List.of(kept.id()), left, "the primary and the delete-on-termination ENI are gone");
        assertEquals("available", account.networkInterface(kept.id()).status());
        assertEquals(before + 1 + 4, available(), "the primary's and the deleted ENI's addresses are free again");
        assertTrue(imds.get("instance-id").isEmpty(), "a terminated instance's IMDS answers nothing");
        assertTrue(events.containsAll(List.of("detached " + primary + " from " + node, "detached " + kept.id() + " from " + node)));
        assertTrue(attachment.startsWith("eni-attach-"));
    }

    @Test
    void operatorChangesAreNotCountedAsApiCalls() {
        operator.assignIps(eni.id(), 1);
        operator.detach(eni.id());
        assertEquals(Map.of(), endpoint.counters().snapshot());
    }

    @Test
    void withAChangeLagImdsShowsChangesOnlyAfterIt() throws Exception {
        imdsServer.changeLag(Duration.ofSeconds(5));
        var ips = account.networkInterface(eni.id()).allIps();
        operator.unassignIp(eni.id(), ips.get(1));
        clock.advance(Duration.ofSeconds(2));
        operator.detach(eni.id());

        assertEquals(ips, imds.perMac(eni.macAddress(), "local-ipv4s"), "neither change is visible yet");
        clock.advance(Duration.ofSeconds(3));
        assertEquals(3, imds.perMac(eni.macAddress(), "local-ipv4s").size(), "5 s after the unassign, it shows");
        assertEquals(2, imds.macs().size());
        clock.advance(Duration.ofSeconds(2));
        assertEquals(1, imds.macs().size(), "5 s after the detach, it shows");

        imdsServer.changeLag(Duration.ZERO);
        operator.attach(eni.id(), node, 1);
        assertEquals(2, imds.macs().size(), "without a lag, at once");
    }
}
