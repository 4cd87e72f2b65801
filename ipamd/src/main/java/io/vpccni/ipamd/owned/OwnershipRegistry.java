package io.vpccni.ipamd.owned;

import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.net.Route;
import io.vpccni.ipamd.net.Rule;
import io.vpccni.ipamd.pool.AttachmentKey;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Every kernel object the daemon owns on the host, keyed by the attachment it serves: the one answer that
 * pod wiring, DEL, GC, CHECK, restore and the healer share to "is this ours, and whose?".
 *
 * <p>An ADD first <em>claims</em> its host veth name and address, before it creates anything, so a late DEL of
 * an older sandbox of the same pod (same veth name) or a GC sweep never takes what a newer ADD is building;
 * it <em>owns</em> its routes and rules once they are in place. A claim of a veth name moves it to the newest
 * attachment. Node-wide objects (ENI route tables, SNAT rules) come from {@link #addHostSource host sources}.
 */
public final class OwnershipRegistry implements OwnedObjects {
    /** One attachment's objects on the host. {@code vethIndex} identifies the veth itself, whatever its name. */
    public record PodObjects(AttachmentKey key, IpPrefix ip, String veth, int vethIndex, List<Route> routes, List<Rule> rules) {
        public PodObjects {
            routes = List.copyOf(routes);
            rules = List.copyOf(rules);
        }
    }

    private final Map<AttachmentKey, PodObjects> pods = new HashMap<>();
    private final Map<String, AttachmentKey> veths = new HashMap<>();
    private final Map<IpPrefix, AttachmentKey> ips = new HashMap<>();
    /** Each owned route and rule, by the attachment it belongs to. */
    private final Map<Object, AttachmentKey> objects = new HashMap<>();
    private final List<Supplier<OwnedState>> hostSources = new CopyOnWriteArrayList<>();

    /** Marks {@code veth} and {@code ip} as being built for {@code key}, before any of them exists. */
    public synchronized void claim(AttachmentKey key, String veth, IpPrefix ip) {
        veths.put(veth, key);
        ips.put(ip, key);
    }

    /** Drops {@code key}'s claims after its ADD rolled back, unless an earlier ADD of it owns them. */
    public synchronized void unclaim(AttachmentKey key, String veth, IpPrefix ip) {
        if (!pods.containsKey(key)) {
            veths.remove(veth, key);
            ips.remove(ip, key);
        }
    }

    /** Records a wired attachment (replacing what it owned before). */
    public synchronized void own(PodObjects pod) {
        forget(pod.key());
        pods.put(pod.key(), pod);
        veths.put(pod.veth(), pod.key());
        ips.put(pod.ip(), pod.key());
        pod.routes().forEach(r -> objects.put(r, pod.key()));
        pod.rules().forEach(r -> objects.put(r, pod.key()));
    }

    /** Takes {@code key}'s objects away from the registry, so nothing puts them back while DEL removes them. */
    public synchronized Optional<PodObjects> release(AttachmentKey key) {
        return Optional.ofNullable(forget(key));
    }

    private PodObjects forget(AttachmentKey key) {
        var pod = pods.remove(key);
        if (pod != null) {
            veths.remove(pod.veth(), key);
            ips.remove(pod.ip(), key);
            pod.routes().forEach(r -> objects.remove(r, key));
            pod.rules().forEach(r -> objects.remove(r, key));
        }
        return pod;
    }

    public synchronized Optional<PodObjects> pod(AttachmentKey key) {
        return Optional.ofNullable(pods.get(key));
    }

    /** Which attachment owns or is building the host veth {@code name}. */
    public synchronized Optional<AttachmentKey> vethHolder(String name) {
        return Optional.ofNullable(veths.get(name));
    }

    /** Which attachment owns or is building the wiring of {@code ip}. */
    public synchronized Optional<AttachmentKey> ipHolder(IpPrefix ip) {
        return Optional.ofNullable(ips.get(ip));
    }

    public synchronized List<PodObjects> pods() {
        return List.copyOf(pods.values());
    }

    /** Adds a source of node-wide objects the daemon keeps (ENI addresses, routes and rules; SNAT rules). */
    public void addHostSource(Supplier<OwnedState> source) {
        hostSources.add(source);
    }

    @Override
    public OwnedState snapshot() {
        var rules = new ArrayList<Rule>();
        var routes = new ArrayList<Route>();
        var addresses = new ArrayList<io.vpccni.ipamd.net.Address>();
        for (var source : hostSources) {
            var s = source.get();
            rules.addAll(s.rules());
            routes.addAll(s.routes());
            addresses.addAll(s.addresses());
        }
        synchronized (this) {
            for (var pod : pods.values()) {
                routes.addAll(pod.routes());
                rules.addAll(pod.rules());
            }
        }
        return new OwnedState(rules, routes, addresses);
    }

    @Override
    public synchronized boolean writeIfOwned(Object object, Runnable write) {
        if (!objects.containsKey(object) && hostSources.stream().noneMatch(s -> s.get().contains(object))) {
            return false;
        }
        write.run();
        return true;
    }
}
