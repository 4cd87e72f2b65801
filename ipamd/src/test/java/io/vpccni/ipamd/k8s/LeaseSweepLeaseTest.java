package io.vpccni.ipamd.k8s;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vpccni.ipamd.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import static io.vpccni.ipamd.k8s.LeaseSweepLease.NAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sweep lease against the mock server, which checks resourceVersions on update as the API server does. */
class LeaseSweepLeaseTest {
    private static final Duration TERM = Duration.ofMinutes(10);

    private final MockApiServer api = new MockApiServer();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final ApiServerHealth health = new ApiServerHealth("mock", clock);
    private final KubernetesClient clientA = api.daemonClient();
    private final KubernetesClient clientB = api.daemonClient();

    @AfterEach
    void stop() {
        clientA.close();
        clientB.close();
        api.close();
    }

    private LeaseSweepLease node(KubernetesClient client, String name, Consumer<Lease> afterRead) {
        return new LeaseSweepLease(client, "kube-system", name, health, clock, afterRead);
    }

    private LeaseSweepLease node(KubernetesClient client, String name) {
        return new LeaseSweepLease(client, "kube-system", name, health, clock);
    }

    private Lease lease() {
        return api.admin.leases().inNamespace("kube-system").withName(NAME).get();
    }

    @Test
    void theFirstNodeCreatesItAndOthersWaitUntilItExpires() {
        var a = node(clientA, "ip-a");
        var b = node(clientB, "ip-b");
        assertTrue(a.acquire(TERM));
        assertEquals("ip-a", lease().getSpec().getHolderIdentity());
        assertEquals(600, lease().getSpec().getLeaseDurationSeconds());

        clock.advance(Duration.ofMinutes(9));
        assertEquals(SweepLease.Claim.HELD_BY_ANOTHER_NODE, b.claim(TERM), "held by ip-a for another minute");

        clock.advance(Duration.ofMinutes(2));
        assertTrue(b.acquire(TERM), "expired: taken over");
        assertEquals("ip-b", lease().getSpec().getHolderIdentity());
        assertEquals(1, lease().getSpec().getLeaseTransitions());
        assertFalse(a.acquire(TERM), "ip-a lost it");
    }

    @Test
    void theHolderRenewsItsTerm() {
        var a = node(clientA, "ip-a");
        var b = node(clientB, "ip-b");
        assertTrue(a.acquire(TERM));
        clock.advance(Duration.ofMinutes(8));
        assertTrue(a.acquire(TERM), "renewed");
        assertEquals(Instant.parse("2026-03-01T10:08:00Z"), lease().getSpec().getRenewTime().toInstant());
        clock.advance(Duration.ofMinutes(8));
        assertFalse(b.acquire(TERM), "16 minutes after the first acquire, but only 8 after the renewal");
        assertEquals(0, lease().getSpec().getLeaseTransitions());
    }

    @Test
    void twoNodesRacingForAnAbsentLeaseMakeExactlyOneHolder() throws Exception {
        assertExactlyOneWins();
    }

    @Test
    void twoNodesRacingForAnExpiredLeaseMakeExactlyOneHolder() throws Exception {
        assertTrue(node(clientA, "ip-old").acquire(TERM));
        clock.advance(TERM.plusSeconds(1));
        assertExactlyOneWins();
        assertEquals(1, lease().getSpec().getLeaseTransitions());
    }

    /** Both nodes read before either writes (a barrier holds them), so both see the lease free. */
    private void assertExactlyOneWins() throws Exception {
        var bothRead = new CyclicBarrier(2);
        Consumer<Lease> hold = lease -> {
            try {
                bothRead.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                throw new IllegalStateException("the other node never read the lease", e);
            }
        };
        var a = node(clientA, "ip-a", hold);
        var b = node(clientB, "ip-b", hold);
        try (var pool = Executors.newFixedThreadPool(2)) {
            var wonA = pool.submit((Callable<Boolean>) () -> a.acquire(TERM));
            var wonB = pool.submit((Callable<Boolean>) () -> b.acquire(TERM));
            var results = new boolean[] {wonA.get(30, TimeUnit.SECONDS), wonB.get(30, TimeUnit.SECONDS)};
            assertNotEquals(results[0], results[1], "exactly one of the two holds the lease");
            assertEquals(results[0] ? "ip-a" : "ip-b", lease().getSpec().getHolderIdentity());
        }
    }

    @Test
    void anUnreachableServerMeansNotHeld() {
        var a = node(clientA, "ip-a");
        api.stop();
        assertEquals(SweepLease.Claim.UNKNOWN, a.claim(TERM), "cannot tell who sweeps: each node sweeps its own");
        assertFalse(health.reachable());
        assertTrue(health.problem().contains("acquiring Lease kube-system/" + NAME), health.problem());
    }
}
