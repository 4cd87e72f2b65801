package io.vpccni.test.runtime;

import io.vpccni.test.node.NodeUnderTest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The node's CNI bin and configuration directories as aws-node leaves them: {@code aws-k8s-agent install} (the init
 * container) lays {@code aws-cni} with its runtime and the plugins the conflist chains (loopback, portmap, bandwidth
 * from Debian's containernetworking-plugins) into the bin dir, and the daemon, given HOST_CNI_CONFDIR_PATH, writes
 * {@code 10-aws.conflist} into the conf dir once its pool is open. Nothing here writes either: the runtimes read
 * exactly what the product lays out.
 */
final class InstalledNode {
    static final String CONFLIST = "10-aws.conflist";
    private static final Path DEBIAN_PLUGINS = Path.of("/usr/lib/cni");

    final Path binDir;
    final Path confDir;
    final Path pluginLog;

    private InstalledNode(Path dir) {
        this.binDir = dir.resolve("opt-cni-bin");
        this.confDir = dir.resolve("etc-cni-net.d");
        this.pluginLog = dir.resolve("log/plugin.log");
    }

    /** The init container's step, against the node's IMDS: the binaries in place, no conflist yet (the node is not Ready). */
    static InstalledNode install(NodeUnderTest node, Path dir) {
        var installed = new InstalledNode(dir);
        var install = Command.of(BuildTree.agent().toString(), "install").withEnv(Map.of(
                "AWS_EC2_METADATA_SERVICE_ENDPOINT", node.env().get("AWS_EC2_METADATA_SERVICE_ENDPOINT"),
                "HOST_CNI_BIN_PATH", installed.binDir.toString(),
                "AWS_CNI_SOURCE_DIR", BuildTree.pluginDist().toString(),
                "CNI_PLUGINS_SOURCE_DIR", DEBIAN_PLUGINS.toString(),
                "AWS_K8S_AGENT_CDS_ARCHIVE", BuildTree.agentCdsArchive().toString())).run();
        install.orThrow();
        for (var plugin : List.of("aws-cni", "loopback", "portmap")) {
            if (!Files.isExecutable(installed.binDir.resolve(plugin))) {
                throw new IllegalStateException("aws-k8s-agent install left no " + plugin + " in " + installed.binDir + ": " + install.output());
            }
        }
        return installed;
    }

    /** What the DaemonSet adds to the daemon's environment: where the conflist goes and where the plugin logs. */
    Map<String, String> daemonEnv() {
        return Map.of("HOST_CNI_CONFDIR_PATH", confDir.toString(), "AWS_VPC_K8S_PLUGIN_LOG_FILE", pluginLog.toString());
    }

    Path conflist() {
        return confDir.resolve(CONFLIST);
    }

    /** Waits for the conflist, which the daemon writes once its pool is open: from then on the node is Ready. */
    void awaitConflist(NodeUnderTest node) throws InterruptedException {
        node.await(Duration.ofSeconds(60), CONFLIST + " in " + confDir, () -> Files.exists(conflist()), () -> "");
    }
}
