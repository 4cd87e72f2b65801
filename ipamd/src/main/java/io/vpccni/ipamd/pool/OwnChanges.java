package io.vpccni.ipamd.pool;

import io.vpccni.ipamd.net.IpPrefix;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The ENIs and CIDRs the daemon itself attached, removed, assigned or released lately (upstream's reconcile cooldown
 * cache). IMDS lags behind EC2 and EC2's Describe calls lag behind its own writes, so for a while after such a change
 * either may still show the old state; the node reconcile leaves these alone until the lag is surely over, instead of
 * re-adding an address the daemon just gave back or dropping one it just got.
 *
 * <p>Not thread-safe: the {@link Datastore} calls it under its lock, which is what makes "note, then change the pool"
 * and "check, then reconcile the pool" exclusive of each other.
 */
final class OwnChanges {
    private final Duration cooldown;
    private final Map<IpPrefix, Instant> cidrs = new HashMap<>();
    private final Map<String, Instant> enis = new HashMap<>();

    OwnChanges(Duration cooldown) {
        this.cooldown = cooldown;
    }

    void cidr(IpPrefix cidr, Instant now) {
        cidrs.put(cidr, now);
    }

    void eni(String eniId, Instant now) {
        enis.put(eniId, now);
    }

    boolean recentCidr(IpPrefix cidr, Instant now) {
        return recent(cidrs.get(cidr), now);
    }

    boolean recentEni(String eniId, Instant now) {
        return recent(enis.get(eniId), now);
    }

    /** What is still cooling, dropping what is not: the maps never grow beyond one cooldown's worth of changes. */
    Datastore.OwnChangeView view(Instant now) {
        cidrs.values().removeIf(at -> !recent(at, now));
        enis.values().removeIf(at -> !recent(at, now));
        return new Datastore.OwnChangeView(Set.copyOf(enis.keySet()), Set.copyOf(cidrs.keySet()));
    }

    private boolean recent(Instant at, Instant now) {
        return at != null && now.isBefore(at.plus(cooldown));
    }
}
