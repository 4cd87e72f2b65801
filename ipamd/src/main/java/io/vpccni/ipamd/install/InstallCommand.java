package io.vpccni.ipamd.install;

import io.vpccni.ipamd.cloud.ImdsClient;
import io.vpccni.ipamd.cloud.MetadataException;
import io.vpccni.ipamd.config.Env;
import io.vpccni.ipamd.host.Sysctls;
import io.vpccni.ipamd.net.RtNetlink;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;

/**
 * {@code aws-k8s-agent install}, the aws-node pod's init container: installs the plugins into the host's CNI bin
 * dir and sets the node's sysctls, which need a privileged container that the long-running daemon then does not
 * need to be. The conflist is not written here but by the daemon, once its pool is open.
 */
public final class InstallCommand {
    public static final String NAME = "install";
    /** IMDS may still be coming up when a node boots: how often to ask it for the primary ENI's MAC. */
    private static final int IMDS_ATTEMPTS = 10;

    private InstallCommand() {
    }

    public static void main(String[] args) {
        try {
            run(System.getenv());
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            System.err.println("aws-k8s-agent install: " + e.getMessage());
            System.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(1);
        }
    }

    static void run(Map<String, String> env) throws IOException, InterruptedException {
        var binDir = dir(env, "HOST_CNI_BIN_PATH", "/host/opt/cni/bin");
        var installer = new PluginInstaller(new PluginInstaller.Sources(dir(env, "AWS_CNI_SOURCE_DIR", "/app/cni"),
                dir(env, "CNI_PLUGINS_SOURCE_DIR", "/usr/lib/cni")));
        var installed = installer.install(binDir);
        var demuxOff = Env.bool(env, "DISABLE_TCP_EARLY_DEMUX", false);
        var primary = primaryInterface(URI.create(Optional.ofNullable(Env.get(env, "AWS_EC2_METADATA_SERVICE_ENDPOINT"))
                .orElse("http://169.254.169.254")));
        new Sysctls(Path.of("/proc/sys")).applyForNode(primary, demuxOff);
        System.err.println("aws-k8s-agent install: " + String.join(", ", installed) + " in " + binDir
                + "; sysctls set on " + primary);
    }

    private static String primaryInterface(URI imdsEndpoint) throws InterruptedException, IOException {
        try (var imds = new ImdsClient(imdsEndpoint, Duration.ofSeconds(2), InstantSource.system());
             var netlink = RtNetlink.open()) {
            MetadataException last = null;
            for (var attempt = 1; attempt <= IMDS_ATTEMPTS; attempt++) {
                try {
                    var mac = imds.primaryMac();
                    return netlink.linkByMac(mac).orElseThrow(() -> new IllegalStateException(
                            "no interface on this node has the primary ENI's MAC " + mac)).name();
                } catch (MetadataException e) {
                    last = e;
                    Thread.sleep(Duration.ofSeconds(1));
                }
            }
            throw new IOException("IMDS at " + imdsEndpoint + " did not say which interface is the primary ENI after "
                    + IMDS_ATTEMPTS + " attempts: " + last.getMessage(), last);
        }
    }

    private static Path dir(Map<String, String> env, String name, String fallback) {
        var path = Path.of(Optional.ofNullable(Env.get(env, name)).orElse(fallback));
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException(name + "='" + env.get(name) + "' must be an absolute path");
        }
        return path;
    }
}
