package io.vpccni.test.runtime;

import io.vpccni.test.node.NodeUnderTest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The node's CNI bin and configuration directories as aws-node leaves them: {@code aws-cni} with its runtime and
 * the plugins the conflist chains (loopback, portmap, bandwidth from Debian's containernetworking-plugins) in the
 * bin dir, and {@code 10-aws.conflist} in the conf dir once the daemon's pool is open.
 *
 * <p>Until {@code aws-k8s-agent install} lands on main this class lays the files out itself, as the contract
 * (notes/issue13-contract.md) describes the installer and the daemon's conflist; it is the one place to switch
 * to the real installer.
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

    /** The init container's step: the binaries in place, no conflist yet (the node is not Ready). */
    static InstalledNode install(Path dir) {
        var node = new InstalledNode(dir);
        try {
            Files.createDirectories(node.binDir);
            Files.createDirectories(node.confDir);
            Files.createDirectories(node.pluginLog.getParent());
            var dist = BuildTree.pluginDist();
            Command.of("cp", "-a", dist.resolve("aws-cni").toString(), dist.resolve("aws-cni.d").toString(), node.binDir.toString()).output();
            for (var plugin : List.of("loopback", "portmap", "bandwidth")) {
                Files.copy(DEBIAN_PLUGINS.resolve(plugin), node.binDir.resolve(plugin));
            }
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the DaemonSet adds to the daemon's environment: where the conflist goes and where the plugin logs. */
    Map<String, String> daemonEnv() {
        return Map.of("HOST_CNI_CONFDIR_PATH", confDir.toString(), "AWS_VPC_K8S_PLUGIN_LOG_FILE", pluginLog.toString());
    }

    Path conflist() {
        return confDir.resolve(CONFLIST);
    }

    /** Waits for the conflist, which the daemon writes once its pool is open. */
    void awaitConflist(NodeUnderTest node, Path socket) throws InterruptedException {
        node.await(Duration.ofSeconds(60), "the daemon serves (STATUS succeeds)", () -> statusOk(node), () -> "");
        writeConflist(socket);
        node.await(Duration.ofSeconds(5), CONFLIST + " in " + confDir, () -> Files.exists(conflist()), () -> "");
    }

    private static boolean statusOk(NodeUnderTest node) {
        try {
            return node.status().exit() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The daemon's conflist as the contract gives it; 1.0.0 because containerd 1.6 and Debian's portmap refuse 1.1.0. */
    private void writeConflist(Path socket) {
        var json = """
                {
                  "cniVersion": "1.0.0",
                  "name": "aws-cni",
                  "plugins": [
                    {"name": "aws-cni", "type": "aws-cni", "mtu": "9001", "vethPrefix": "eni", "podSGEnforcingMode": "strict",
                     "pluginLogFile": "%s", "pluginLogLevel": "DEBUG", "ipamdSocket": "%s"},
                    {"type": "portmap", "capabilities": {"portMappings": true}, "snat": true}
                  ]
                }
                """.formatted(pluginLog, socket);
        try {
            var temp = confDir.resolve("." + CONFLIST + ".tmp");
            Files.writeString(temp, json);
            Files.move(temp, conflist(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
