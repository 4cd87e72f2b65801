package io.vpccni.ipamd.pod;

/**
 * The parts of the CNI network config that shape a pod's wiring, as the plugin validated them. An empty
 * {@code vethPrefix} means the daemon's own (an older plugin may send none).
 */
public record NetworkSettings(int mtu, String vethPrefix, String podSgEnforcingMode) {
    public static final int DEFAULT_MTU = 9001;

    public NetworkSettings {
        if (mtu == 0) {
            mtu = DEFAULT_MTU;
        }
        if (vethPrefix == null) {
            vethPrefix = "";
        }
        if (podSgEnforcingMode == null || podSgEnforcingMode.isEmpty()) {
            podSgEnforcingMode = "strict";
        }
    }

    public static NetworkSettings defaults() {
        return new NetworkSettings(0, null, null);
    }
}
