package io.vpccni.ipamd;

import io.vpccni.ipamd.checkpoint.FileCheckpointStore;
import io.vpccni.ipamd.cloud.SdkEc2Api;
import io.vpccni.ipamd.config.DaemonConfig;
import io.vpccni.ipamd.config.Env;
import io.vpccni.ipamd.config.Unsupported;
import io.vpccni.ipamd.eni.EniConfigName;
import io.vpccni.ipamd.eni.NodeDiscovery;
import io.vpccni.ipamd.guard.LinkOwnership;
import io.vpccni.ipamd.guard.UnmanagedNetworkFiles;
import io.vpccni.ipamd.host.NatSettings;
import io.vpccni.ipamd.install.CniConfig;
import io.vpccni.ipamd.install.ConflistWriter;
import io.vpccni.ipamd.k8s.KubeSettings;
import io.vpccni.ipamd.policy.PoolConfig;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting of the daemon, read from its environment once and validated before it serves: a bad value
 * stops it at start, naming the variable, rather than in a retry loop after it has begun serving.
 * {@code env} stays for the node discovery, which reads the cluster's tags (validated here too). {@code conflist} is
 * present when HOST_CNI_CONFDIR_PATH says where to write the node's conflist once the pool is open.
 */
record Settings(Map<String, String> env, DaemonConfig daemon, PoolConfig pool, NatSettings nat, int eniMtu,
                boolean tcpEarlyDemuxOff, Path checkpoint, URI imdsEndpoint, SdkEc2Api.Settings ec2, boolean imdsOnly,
                boolean leakedEniCleanupOff, LinkOwnership.Paths ownership, Optional<UnmanagedNetworkFiles> unmanagedFiles,
                KubeSettings kube, Cluster cluster, Optional<ConflistWriter> conflist) {

    /**
     * What the daemon does with the API server.
     *
     * @param customNetworking        {@code AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG}: new ENIs from the node's ENIConfig
     * @param subnetDiscovery         {@code ENABLE_SUBNET_DISCOVERY} (default true): new ENIs in tagged subnets
     * @param manageWhenUnschedulable {@code AWS_MANAGE_ENIS_NON_SCHEDULABLE}: keep managing the pool of a cordoned node
     * @param annotatePodIp           {@code ANNOTATE_POD_IP}: write vpc.amazonaws.com/pod-ips on each pod
     */
    record Cluster(boolean customNetworking, EniConfigName eniConfigName, boolean subnetDiscovery,
                   boolean manageWhenUnschedulable, boolean annotatePodIp) {
        /** The features that cannot work without the API server; the pool waits for it when one is on. */
        List<String> needingApiServer() {
            var needs = new ArrayList<String>();
            if (customNetworking) {
                needs.add("AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG");
            }
            if (annotatePodIp) {
                needs.add("ANNOTATE_POD_IP");
            }
            return needs;
        }

        static Cluster fromEnv(Map<String, String> env, KubeSettings kube) {
            var cluster = new Cluster(Env.bool(env, "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG", false), EniConfigName.fromEnv(env),
                    Env.bool(env, "ENABLE_SUBNET_DISCOVERY", true), Env.bool(env, "AWS_MANAGE_ENIS_NON_SCHEDULABLE", false),
                    Env.bool(env, "ANNOTATE_POD_IP", false));
            var needs = cluster.needingApiServer();
            if (!needs.isEmpty() && !kube.configured()) {
                throw new IllegalArgumentException(String.join(" and ", needs) + " need the API server, but none is "
                        + "configured: run in the cluster (the aws-node service account), or set KUBECONFIG or CLUSTER_ENDPOINT");
            }
            if (kube.configured() && kube.nodeName().isEmpty()) {
                throw new IllegalArgumentException("MY_NODE_NAME is not set: the daemon needs its Node's name to read it "
                        + "from the API server (the chart sets it from spec.nodeName)");
            }
            return cluster;
        }
    }

    /** @throws IllegalArgumentException naming the first variable that is not acceptable */
    static Settings read(Map<String, String> env, String version) {
        Unsupported.check(env);
        var daemon = DaemonConfig.fromEnv(env);
        var ownership = LinkOwnership.Paths.fromEnv(env);
        NodeDiscovery.additionalTags(env);
        var kube = KubeSettings.fromEnv(env);
        Env.bool(env, "MANAGE_UNTAGGED_ENI", true);  // read by the node discovery; a bad value stops the start here
        return new Settings(Map.copyOf(env), daemon, PoolConfig.fromEnv(env), NatSettings.fromEnv(env, daemon.vethPrefix()),
                Env.integer(env, "AWS_VPC_ENI_MTU", 576, 9001, 9001),
                Env.bool(env, "DISABLE_TCP_EARLY_DEMUX", false),
                absolute(env, "AWS_VPC_K8S_CNI_BACKING_STORE", FileCheckpointStore.DEFAULT_PATH),
                uri(env, "AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://169.254.169.254"),
                SdkEc2Api.Settings.fromEnvironment(env, version),
                Env.bool(env, "ENABLE_IMDS_ONLY_MODE", false),
                Env.bool(env, "DISABLE_LEAKED_ENI_CLEANUP", false),
                ownership,
                UnmanagedNetworkFiles.fromEnv(env, ownership),
                kube,
                Cluster.fromEnv(env, kube),
                conflist(env));
    }

    private static Optional<ConflistWriter> conflist(Map<String, String> env) {
        var config = CniConfig.fromEnv(env);  // validated even when not written: the same values reach the plugin
        return CniConfig.confDir(env).map(dir -> new ConflistWriter(dir, config));
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
