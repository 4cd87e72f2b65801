package io.vpccni.ipamd.rpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Which plugin versions this daemon speaks. Compatibility is by major version: the wire contract only
 * grows within a major (new fields, new RPCs), so any 1.x plugin, ours or upstream's ("v1.23.1"), is served.
 */
public final class ClientVersions {
    private final String daemonVersion;
    private final int major;

    public ClientVersions(String daemonVersion) {
        this.daemonVersion = daemonVersion;
        this.major = majorOf(daemonVersion);
        if (major < 0) {
            throw new IllegalArgumentException("daemon version '" + daemonVersion + "' has no major version");
        }
    }

    public String daemonVersion() {
        return daemonVersion;
    }

    /** @throws StatusRuntimeException FAILED_PRECONDITION naming both versions when the client's major differs */
    public void requireCompatible(String clientVersion) {
        if (majorOf(clientVersion) != major) {
            throw Status.FAILED_PRECONDITION
                    .withDescription("plugin version '" + clientVersion + "' is not supported by aws-k8s-agent "
                            + daemonVersion + ", which speaks major version " + major
                            + ": install the aws-cni plugin that ships with this daemon")
                    .asRuntimeException();
        }
    }

    /** The leading number of "1.2.3" or "v1.2.3"; -1 when there is none. */
    static int majorOf(String version) {
        if (version == null) {
            return -1;
        }
        var start = version.startsWith("v") ? 1 : 0;
        var end = start;
        while (end < version.length() && end - start < 9 && Character.isDigit(version.charAt(end))) {
            end++;
        }
        if (end == start || (end < version.length() && version.charAt(end) != '.')) {
            return -1;
        }
        return Integer.parseInt(version, start, end, 10);
    }
}
