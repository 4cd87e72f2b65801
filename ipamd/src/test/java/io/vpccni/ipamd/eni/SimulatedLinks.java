package io.vpccni.ipamd.eni;

import io.vpccni.simcloud.AttachmentListener;
import io.vpccni.simcloud.NetworkInterface;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The node's links without a kernel: an ENI the simulated cloud attaches to this instance appears at once as a
 * link {@code ens<5+device>} carrying its MAC (as the udev names on Nitro instances), and vanishes when detached.
 * {@link #hideNewLinks()} makes new ENIs never appear, so the lifecycle's wait gives up as after its deadline.
 */
final class SimulatedLinks implements EniLinks, AttachmentListener {
    private final String instanceId;
    private final Map<String, String> nameByMac = new TreeMap<>(); // guarded by this
    private boolean hidden;

    SimulatedLinks(String instanceId) {
        this.instanceId = instanceId;
    }

    synchronized void hideNewLinks() {
        hidden = true;
    }

    @Override
    public synchronized void attached(String instanceId, NetworkInterface eni) {
        var attachment = eni.attachment().orElseThrow();
        if (this.instanceId.equals(instanceId) && (!hidden || attachment.deviceIndex() == 0)) {
            nameByMac.put(key(eni.macAddress()), "ens" + (5 + attachment.deviceIndex()));
            notifyAll();
        }
    }

    @Override
    public synchronized void detached(String instanceId, NetworkInterface eni) {
        if (this.instanceId.equals(instanceId)) {
            nameByMac.remove(key(eni.macAddress()));
            notifyAll();
        }
    }

    @Override
    public synchronized String awaitLink(String mac, Duration timeout) throws TimeoutException, InterruptedException {
        if (hidden) {
            throw new TimeoutException("no link with MAC " + mac + " (hidden by the test, as if " + timeout.toSeconds() + " s passed)");
        }
        var deadline = System.nanoTime() + timeout.toNanos();
        while (!nameByMac.containsKey(key(mac))) {
            var left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("no link with MAC " + mac + " within " + timeout.toSeconds() + " s");
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return nameByMac.get(key(mac));
    }

    synchronized Optional<String> link(String mac) {
        return Optional.ofNullable(nameByMac.get(key(mac)));
    }

    /** MAC → link name of every link the node has. */
    synchronized Map<String, String> links() {
        return Map.copyOf(nameByMac);
    }

    private static String key(String mac) {
        return mac.toLowerCase(Locale.ROOT);
    }
}
