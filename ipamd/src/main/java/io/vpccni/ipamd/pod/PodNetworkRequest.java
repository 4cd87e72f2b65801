package io.vpccni.ipamd.pod;

import io.vpccni.ipamd.pool.AttachmentKey;
import io.vpccni.ipamd.pool.PodIdentity;

/**
 * One CNI call as the daemon sees it. {@code netns} may be empty on DEL (containerd's second DEL);
 * {@code prevResult} is null when the runtime sent none.
 */
public record PodNetworkRequest(AttachmentKey key, PodIdentity pod, String netns, NetworkSettings settings,
                                PrevResult prevResult) {
    public PodNetworkRequest {
        netns = netns == null ? "" : netns;
        settings = settings == null ? NetworkSettings.defaults() : settings;
    }
}
