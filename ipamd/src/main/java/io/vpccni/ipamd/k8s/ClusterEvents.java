package io.vpccni.ipamd.k8s;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes-visible events about this node's networking (e.g. a missing IAM permission). The Kubernetes
 * capability posts them on the aws-node pod; until then they are log lines an operator can alert on.
 */
public interface ClusterEvents {
    /** A Warning event: {@code reason} is a CamelCase word such as MissingIAMPermissions. */
    void warning(String reason, String message);

    ClusterEvents LOG = new ClusterEvents() {
        private static final Logger log = LoggerFactory.getLogger(ClusterEvents.class);

        @Override
        public void warning(String reason, String message) {
            log.warn("event {}: {}", reason, message);
        }
    };
}
