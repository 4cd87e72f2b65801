package io.vpccni.ipamd.k8s;

import java.util.Optional;

/** The cluster's ENIConfigs, as a watch keeps them (read only where custom networking is on). */
public interface EniConfigs {
    /** Whether the first full list has arrived: before it, an absent ENIConfig proves nothing. */
    boolean synced();

    /** The ENIConfig of this name, from the watch's cache; empty when the cluster has none. */
    Optional<EniConfig> get(String name);

    /** Runs {@code listener} after any ENIConfig is added, changed or deleted (must return at once). */
    void onChange(Runnable listener);

    EniConfigs NONE = new EniConfigs() {
        @Override
        public boolean synced() {
            return false;
        }

        @Override
        public Optional<EniConfig> get(String name) {
            return Optional.empty();
        }

        @Override
        public void onChange(Runnable listener) {
        }
    };
}
