package io.vpccni.ipamd.checkpoint;

import java.util.LinkedHashMap;
import java.util.Map;

/** The datastore's side of group commit, reduced to a map of entries and a version bumped on every change. */
final class FakeOwner {
    private final Map<String, CheckpointEntry> entries = new LinkedHashMap<>();
    private long version;

    synchronized long put(CheckpointEntry e) {
        entries.put(e.containerId(), e);
        return ++version;
    }

    synchronized long remove(String containerId) {
        entries.remove(containerId);
        return ++version;
    }

    synchronized VersionedSnapshot snapshot() {
        return new VersionedSnapshot(version, new Checkpoint(entries.values().stream().toList()));
    }

    static CheckpointEntry entry(String containerId, String ipv4) {
        return CheckpointEntry.ipv4("aws-cni", containerId, "eth0", ipv4, 1718000000000000000L, "default",
                "pod-" + containerId, 1);
    }
}
