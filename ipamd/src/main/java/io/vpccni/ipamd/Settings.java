package io.vpccni.ipamd;

import io.vpccni.ipamd.checkpoint.FileCheckpointStore;
import io.vpccni.ipamd.cloud.SdkEc2Api;
import io.vpccni.ipamd.config.DaemonConfig;
import io.vpccni.ipamd.config.Env;
import io.vpccni.ipamd.config.Unsupported;
import io.vpccni.ipamd.eni.NodeDiscovery;
import io.vpccni.ipamd.guard.LinkOwnership;
import io.vpccni.ipamd.guard.UnmanagedNetworkFiles;
import io.vpccni.ipamd.host.NatSettings;
import io.vpccni.ipamd.policy.PoolConfig;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting of the daemon, read from its environment once and validated before it serves: a bad value
 * stops it at start, naming the variable, rather than in a retry loop after it has begun serving.
 * {@code env} stays for the node discovery, which reads the cluster's tags (validated here too).
 */
record Settings(Map<String, String> env, DaemonConfig daemon, PoolConfig pool, NatSettings nat, int eniMtu,
                boolean tcpEarlyDemuxOff, Path checkpoint, URI imdsEndpoint, SdkEc2Api.Settings ec2, boolean imdsOnly,
                boolean leakedEniCleanupOff, LinkOwnership.Paths ownership, Optional<UnmanagedNetworkFiles> unmanagedFiles) {

    /** @throws IllegalArgumentException naming the first variable that is not acceptable */
    static Settings read(Map<String, String> env, String version) {
        Unsupported.check(env);
        var daemon = DaemonConfig.fromEnv(env);
        var ownership = LinkOwnership.Paths.fromEnv(env);
        NodeDiscovery.additionalTags(env);
        return new Settings(Map.copyOf(env), daemon, PoolConfig.fromEnv(env), NatSettings.fromEnv(env, daemon.vethPrefix()),
                Env.integer(env, "AWS_VPC_ENI_MTU", 576, 9001, 9001),
                Env.bool(env, "DISABLE_TCP_EARLY_DEMUX", false),
                absolute(env, "AWS_VPC_K8S_CNI_BACKING_STORE", FileCheckpointStore.DEFAULT_PATH),
                uri(env, "AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://169.254.169.254"),
                SdkEc2Api.Settings.fromEnvironment(env, version),
                Env.bool(env, "ENABLE_IMDS_ONLY_MODE", false),
                Env.bool(env, "DISABLE_LEAKED_ENI_CLEANUP", false),
                ownership,
                UnmanagedNetworkFiles.fromEnv(env, ownership));
    }

    private static Path absolute(Map<String, String> env, String name, Path fallback) {
        var value = Env.get(env, name);
        if (value == null) {
            return fallback;
        }
        var path = Path.of(value);
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException(name + "='" + env.get(name) + "' must be an absolute path");
        }
        return path;
    }

    private static URI uri(Map<String, String> env, String name, String fallback) {
        var value = Env.get(env, name);
        try {
            var uri = URI.create(value == null ? fallback : value);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("no scheme or host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + "='" + env.get(name) + "' must be a URL such as " + fallback);
        }
    }
}
