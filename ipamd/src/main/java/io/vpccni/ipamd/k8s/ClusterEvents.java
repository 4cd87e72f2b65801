package io.vpccni.ipamd.k8s;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events about this node's networking, posted on the aws-node pod (the Node when the pod is unknown),
 * aggregated and rate-limited by the implementation so a failing loop cannot flood the API server. Every event is
 * also a log line, so an operator without the API server still sees it.
 */
public interface ClusterEvents {
    /** A Warning event: {@code reason} is a CamelCase word such as MissingIAMPermissions. */
    void warning(String reason, String message);

    /** A Normal event, e.g. an ENI or address the reconcile found changed outside the daemon. */
    default void normal(String reason, String message) {
        LoggerFactory.getLogger(ClusterEvents.class).info("event {}: {}", reason, message);
    }

    ClusterEvents LOG = new ClusterEvents() {
        private static final Logger log = LoggerFactory.getLogger(ClusterEvents.class);

        @Override
        public void warning(String reason, String message) {
            log.warn("event {}: {}", reason, message);
        }
    };
}
