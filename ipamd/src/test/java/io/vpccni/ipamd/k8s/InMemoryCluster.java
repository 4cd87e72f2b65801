package io.vpccni.ipamd.k8s;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The cluster's objects as the daemon's ports see them, set by a test: a Node, ENIConfigs, and the events posted. */
public final class InMemoryCluster implements NodeView, EniConfigs, ClusterEvents {
    private volatile NodeFacts node;
    private volatile boolean synced = true;
    private final Map<String, EniConfig> configs = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    /** Every event posted, as {@code "Warning Reason: message"}. */
    public final List<String> events = new CopyOnWriteArrayList<>();

    public InMemoryCluster node(String name, OptionalInt capacityPods, boolean cordoned, Map<String, String> labels,
                                Map<String, String> annotations) {
        node = new NodeFacts(name, capacityPods, cordoned, labels, annotations);
        listeners.forEach(Runnable::run);
        return this;
    }

    public InMemoryCluster eniConfig(String name, String subnet, String... securityGroups) {
        configs.put(name, new EniConfig(name, subnet, List.of(securityGroups)));
        listeners.forEach(Runnable::run);
        return this;
    }

    public InMemoryCluster deleteEniConfig(String name) {
        configs.remove(name);
        return this;
    }

    public InMemoryCluster unsynced() {
        return synced(false);
    }

    /** Whether the ENIConfigs' first list has arrived. */
    public InMemoryCluster synced(boolean synced) {
        this.synced = synced;
        return this;
    }

    @Override
    public Optional<NodeFacts> current() {
        return Optional.ofNullable(node);
    }

    @Override
    public boolean synced() {
        return synced;
    }

    @Override
    public Optional<EniConfig> get(String name) {
        return Optional.ofNullable(configs.get(name));
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public void warning(String reason, String message) {
        events.add("Warning " + reason + ": " + message);
    }

    @Override
    public void normal(String reason, String message) {
        events.add("Normal " + reason + ": " + message);
    }

    public long count(String reason) {
        return events.stream().filter(e -> e.contains(" " + reason + ":")).count();
    }
}
