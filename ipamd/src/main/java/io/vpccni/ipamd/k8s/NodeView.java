package io.vpccni.ipamd.k8s;

import java.util.Optional;

/** This node's Node object, kept current by a watch on that one object (never a cluster-wide list). */
public interface NodeView {
    /** The newest Node seen; empty before the first one arrives, or when the daemon has no API server. */
    Optional<NodeFacts> current();

    /** Runs {@code listener} after each change of the Node (on the watch's thread: it must return at once). */
    void onChange(Runnable listener);

    NodeView NONE = new NodeView() {
        @Override
        public Optional<NodeFacts> current() {
            return Optional.empty();
        }

        @Override
        public void onChange(Runnable listener) {
        }
    };
}
