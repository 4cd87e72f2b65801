package io.vpccni.ipamd.k8s;

import java.util.List;

/**
 * ANNOTATE_POD_IP: writes {@code vpc.amazonaws.com/pod-ips} on a pod after its ADD. Never blocks the caller: the
 * write is queued, retried while the API server fails, and dropped (logged) only when the pod is gone.
 */
public interface PodAnnotator {
    void podIps(String namespace, String name, List<String> ips);

    PodAnnotator NONE = (namespace, name, ips) -> { };
}
