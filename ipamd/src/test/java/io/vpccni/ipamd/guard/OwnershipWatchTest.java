package io.vpccni.ipamd.guard;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A .network file dropped or a networkd state rewrite triggers the ownership re-check at once, not at the next poll. */
class OwnershipWatchTest {
    @TempDir
    Path root;

    @Test
    void aNetworkFileOrAStateChangeTriggersARecheckLongBeforeTheFallback() throws Exception {
        var links = Files.createDirectories(root.resolve("netif/links"));
        var network = Files.createDirectories(root.resolve("network"));
        var paths = new LinkOwnership.Paths(links, List.of(network, root.resolve("absent")), root.resolve("nm"));
        var rechecks = new Semaphore(0);
        try (var watch = new OwnershipWatch(paths, rechecks::release, Duration.ofHours(1))) {
            assertEquals(List.of(links, network), watch.watched(), "absent directories are left to the periodic re-check");

            Files.writeString(network.resolve("70-eks-ens6.network"), "[Match]\nName=ens6\n");
            assertTrue(rechecks.tryAcquire(5, TimeUnit.SECONDS), "re-checked after the .network file appeared");

            Files.writeString(links.resolve("4"), "ADMIN_STATE=configured\n");
            assertTrue(rechecks.tryAcquire(5, TimeUnit.SECONDS), "re-checked after networkd wrote its link state");

            Thread.sleep(100);
            rechecks.drainPermits();
            Thread.sleep(100);
            assertFalse(rechecks.tryAcquire(), "nothing changed, so no further re-check before the fallback interval");
        }
    }
}
