package io.vpccni.ipamd.guard;

import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.net.RtNetlink;
import io.vpccni.ipamd.pool.AttachmentKey;
import io.vpccni.ipamd.pool.Datastore;
import io.vpccni.ipamd.pool.EniInfo;
import io.vpccni.ipamd.pool.PodIdentity;
import io.vpccni.ipamd.pool.PoolException;
import io.vpccni.ipamd.testing.Ip;
import io.vpccni.ipamd.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The guard against a real link (a veth standing in for the ENI) and networkd's files: adoption by a new
 * .network file stops new pods on the ENI, with an event naming ENI, manager and remedy; letting go of it
 * offers it again.
 */
@EnabledIfSystemProperty(named = "vpccni.netns", matches = "private", disabledReason = "needs root and test/bin/java-in-netns")
class EniGuardIT {
    @TempDir
    Path root;

    @AfterEach
    void cleanUp() {
        Ip.quietly("link", "del", "ens6");
    }

    @Test
    void anEniNetworkdAdoptsIsRefusedForNewPodsAndOfferedAgainWhenReleased() throws Exception {
        Ip.run("link", "add", "ens6", "address", "02:00:00:00:00:06", "type", "veth", "peer", "name", "ens6p");
        var run = Files.createDirectories(root.resolve("run/systemd/network"));
        var ownership = new LinkOwnership(new LinkOwnership.Paths(Files.createDirectories(root.resolve("links")), List.of(run),
                root.resolve("nm")));
        var datastore = new Datastore(new MutableClock(Instant.EPOCH), Duration.ZERO, false);
        datastore.addEni(new EniInfo("eni-primary", "02:00:00:00:00:05", 0, 0, true, false, false, "s", 254, Instant.EPOCH));
        datastore.addEni(new EniInfo("eni-0abc", "02:00:00:00:00:06", 1, 0, false, false, false, "s", 2, Instant.EPOCH));
        datastore.addCidr("eni-0abc", IpPrefix.of("10.0.1.20/32"), false);
        datastore.addCidr("eni-0abc", IpPrefix.of("10.0.1.21/32"), false);
        var events = new CopyOnWriteArrayList<String>();
        try (var host = RtNetlink.open()) {
            var guard = new EniGuard(ownership, host, datastore, (reason, message) -> events.add(reason + ": " + message));
            guard.recheck();
            assertEquals(0, guard.refusals());
            datastore.assign(new AttachmentKey("n", "running", "eth0"), new PodIdentity("ns", "p", "", ""));

            Files.writeString(run.resolve("70-eks-ens6.network"), "[Match]\nName=ens6\n\n[Network]\nDHCP=yes\n");  // nodeadm adopts it
            guard.recheck();
            assertEquals(1, guard.refusals());
            assertTrue(guard.refused().containsKey("eni-0abc"));
            assertEquals(1, events.size());
            var event = events.getFirst();
            assertTrue(event.startsWith("EniOwnedByNetworkManager: eni-0abc (ens6) is managed by systemd-networkd at its next reload"), event);
            assertTrue(event.contains("1 pod(s) already on it keep theirs") && event.contains("Unmanaged=yes"), event);
            assertThrows(PoolException.class, () -> datastore.assign(new AttachmentKey("n", "new", "eth0"), new PodIdentity("ns", "q", "", "")));
            guard.recheck();
            assertEquals(1, events.size(), "one event per refusal, not per check");

            Files.delete(run.resolve("70-eks-ens6.network"));
            guard.recheck();
            assertTrue(guard.refused().isEmpty());
            assertEquals("10.0.1.21", datastore.assign(new AttachmentKey("n", "new", "eth0"), new PodIdentity("ns", "q", "", ""))
                    .allocation().ipv4Text());
        }
    }
}
