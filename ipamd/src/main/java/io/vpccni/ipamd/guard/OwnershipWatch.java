package io.vpccni.ipamd.guard;

import io.vpccni.ipamd.schedule.Next;
import io.vpccni.ipamd.schedule.Scheduler;
import io.vpccni.ipamd.schedule.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

/**
 * Runs the ownership re-check as soon as a network manager writes its state or someone drops a .network file
 * (inotify on every directory {@link LinkOwnership} reads), and at least every {@code fallback} for directories
 * that do not exist yet (NetworkManager's appears only when it starts) or events the kernel dropped. The re-check
 * is a task of the scheduler; waiting for inotify events is a virtual thread of its own, since the JDK's watch
 * service hands them over through a queue (its own poller thread is the one blocked in the kernel).
 */
public final class OwnershipWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OwnershipWatch.class);
    /** networkd rewrites its state files in a burst: one re-check once it is over. */
    static final Duration DEBOUNCE = Duration.ofMillis(10);

    private final WatchService watcher;
    private final List<Path> watched = new ArrayList<>();
    private final Task recheck;
    private final Thread events;

    public OwnershipWatch(Scheduler scheduler, LinkOwnership.Paths paths, Runnable recheck, Duration fallback) {
        var dirs = new ArrayList<Path>();
        dirs.add(paths.networkdLinks());
        dirs.addAll(paths.networkDirectories());
        dirs.add(paths.networkManagerDevices());
        watcher = watch(dirs);
        log.info("watching {} for network-manager changes; every {} s a full re-check", watched, fallback.toSeconds());
        this.recheck = scheduler.loop("eni-guard", fallback, () -> {
            try {
                recheck.run();
            } catch (RuntimeException e) {
                log.warn("ENI ownership check failed: {}", e.getMessage());
            }
            return Next.after(fallback);
        });
        events = watcher == null ? null : Thread.ofVirtual().name("eni-guard-inotify").start(this::awaitEvents);
    }

    /** @return null when inotify is unavailable (instance limit reached): the periodic re-check still runs */
    private WatchService watch(List<Path> dirs) {
        WatchService service;
        try {
            service = FileSystems.getDefault().newWatchService();
        } catch (IOException e) {
            log.warn("cannot watch network-manager state ({}); relying on the periodic re-check", e.getMessage());
            return null;
        }
        for (var dir : dirs) {
            try {
                if (Files.isDirectory(dir)) {
                    dir.register(service, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
                    watched.add(dir);
                }
            } catch (IOException e) {
                log.warn("cannot watch {} ({}); the periodic re-check covers it", dir, e.getMessage());
            }
        }
        return service;
    }

    /** Asks for a re-check at once (a netlink change to an ENI's link), on the scheduler like every other. */
    public void recheckNow() {
        recheck.wake();
    }

    /** The directories under inotify watch (the others are covered by the periodic re-check). */
    public List<Path> watched() {
        return List.copyOf(watched);
    }

    private void awaitEvents() {
        while (true) {
            try {
                var key = watcher.take();
                key.pollEvents();
                key.reset();
                recheck.wakeAfter(DEBOUNCE);
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (watcher != null) {
            watcher.close();  // ends awaitEvents
            events.interrupt();
        }
        recheck.cancel();
    }
}
