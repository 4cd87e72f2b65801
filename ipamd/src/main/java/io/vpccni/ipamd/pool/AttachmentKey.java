package io.vpccni.ipamd.pool;

import java.util.Objects;

/**
 * The CNI spec's primary key for an attachment: (network name, container ID, interface name).
 * The netns path and the infra container ID are deliberately not part of it: they change across
 * runtime restarts while the attachment stays the same.
 */
public record AttachmentKey(String networkName, String containerId, String ifName) {
    public AttachmentKey {
        Objects.requireNonNull(networkName, "networkName");
        Objects.requireNonNull(containerId, "containerId");
        Objects.requireNonNull(ifName, "ifName");
    }

    @Override
    public String toString() {
        return networkName + "/" + containerId + "/" + ifName;
    }
}
