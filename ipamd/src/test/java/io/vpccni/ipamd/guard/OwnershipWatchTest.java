package io.vpccni.ipamd.guard;

import io.vpccni.ipamd.schedule.FakeScheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A .network file dropped or a networkd state rewrite triggers the ownership re-check a debounce later, not at the
 * fallback; without events the fallback re-check runs on the scheduler's clock.
 */
class OwnershipWatchTest {
    private static final Duration FALLBACK = Duration.ofHours(1);

    @TempDir
    Path root;

    private LinkOwnership.Paths paths() throws Exception {
        var links = Files.createDirectories(root.resolve("netif/links"));
        var network = Files.createDirectories(root.resolve("network"));
        return new LinkOwnership.Paths(links, List.of(network, root.resolve("absent")), root.resolve("nm"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"network/70-eks-ens6.network", "netif/links/4"})
    void aFileEventTriggersARecheckADebounceLaterNotAtTheFallback(String file) throws Exception {
        var paths = paths();
        var rechecks = new AtomicInteger();
        var scheduler = new FakeScheduler();
        try (var watch = new OwnershipWatch(scheduler, paths, rechecks::incrementAndGet, FALLBACK)) {
            assertEquals(List.of(paths.networkdLinks(), paths.networkDirectories().getFirst()), watch.watched(),
                    "absent directories are left to the periodic re-check");

            Files.writeString(root.resolve(file), "[Match]\nName=ens6\n");
            var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);  // inotify delivers on its own thread
            while (scheduler.dueIn("eni-guard").orElseThrow().compareTo(OwnershipWatch.DEBOUNCE) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertEquals(OwnershipWatch.DEBOUNCE, scheduler.dueIn("eni-guard").orElseThrow(), "the event asked for a re-check");
            scheduler.advance(OwnershipWatch.DEBOUNCE.minusNanos(1));
            assertEquals(0, rechecks.get(), "not before the debounce: the rest of the burst is gathered");
            scheduler.advance(Duration.ofNanos(1));
            assertEquals(1, rechecks.get());
        }
    }

    @Test
    void aNetlinkChangeToAnEniLinkAsksForARecheckAtOnceOnTheScheduler() throws Exception {
        var rechecks = new AtomicInteger();
        var scheduler = new FakeScheduler();
        try (var watch = new OwnershipWatch(scheduler, paths(), rechecks::incrementAndGet, FALLBACK)) {
            watch.recheckNow();
            assertEquals(0, rechecks.get(), "not on the caller's thread (the netlink monitor's)");
            assertEquals(Duration.ZERO, scheduler.dueIn("eni-guard").orElseThrow());
            scheduler.runDue();
            assertEquals(1, rechecks.get());
            assertEquals(FALLBACK, scheduler.dueIn("eni-guard").orElseThrow(), "and the fallback after it");
        }
    }

    @Test
    void withoutEventsTheRecheckRunsEveryFallbackIntervalUntilClosed() throws Exception {
        var rechecks = new AtomicInteger();
        var scheduler = new FakeScheduler();
        var fallback = Duration.ofSeconds(10);
        var absent = new LinkOwnership.Paths(root.resolve("a"), List.of(root.resolve("b")), root.resolve("c"));
        var watch = new OwnershipWatch(scheduler, absent, rechecks::incrementAndGet, fallback);
        assertEquals(List.of(), watch.watched());
        scheduler.advance(fallback.minusNanos(1));
        assertEquals(0, rechecks.get());
        scheduler.advance(Duration.ofNanos(1));
        assertEquals(1, rechecks.get());
        scheduler.advance(fallback.multipliedBy(2));
        assertEquals(3, rechecks.get());
        watch.close();
        scheduler.advance(fallback.multipliedBy(5));
        assertEquals(3, rechecks.get(), "none after close");
        assertTrue(scheduler.cancelled("eni-guard"));
    }
}
