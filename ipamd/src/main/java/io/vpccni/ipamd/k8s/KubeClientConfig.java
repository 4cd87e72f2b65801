package io.vpccni.ipamd.k8s;

import io.fabric8.kubernetes.client.Config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Properties;

/**
 * The Fabric8 client configuration from {@link KubeSettings}: the pod's service account by default (Fabric8's own
 * auto-configuration reads the token, CA and {@code KUBERNETES_SERVICE_HOST}), the file named by {@code KUBECONFIG}
 * when set, and {@code CLUSTER_ENDPOINT} over either's server URL, as upstream does for clusters whose nodes must
 * not depend on kube-proxy to reach the service address.
 */
final class KubeClientConfig {
    /** Short enough that a dead API server shows within seconds; long enough for a loaded control plane. */
    static final int CONNECT_TIMEOUT_MS = 5_000;
    static final int REQUEST_TIMEOUT_MS = 10_000;

    private KubeClientConfig() {
    }

    static Config from(KubeSettings settings) {
        Config config;
        if (settings.kubeconfig().isPresent()) {
            var path = settings.kubeconfig().get();
            try {
                // Read here, not by Fabric8 from the process environment: the settings are the one reader of it.
                config = Config.fromKubeconfig(null, Files.readString(path), path.toString());
            } catch (IOException e) {
                throw new UncheckedIOException("KUBECONFIG=" + path + " cannot be read: " + e.getMessage()
                        + "; unset it to use the pod's service account", e);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("KUBECONFIG=" + path + " is not a usable kubeconfig: " + e.getMessage(), e);
            }
        } else {
            config = Config.autoConfigure(null);
        }
        settings.endpoint().ifPresent(endpoint -> config.setMasterUrl(endpoint.toString()));
        return tune(config);
    }

    /**
     * The daemon's timeouts and identity on any configuration (tests pass a mock server's). Fabric8's own request
     * retries are turned off: every caller here retries in the background with its own backoff, and a request that
     * Fabric8 retried ten times would hold a writer's loop for a minute while the server is down.
     */
    static Config tune(Config config) {
        config.setConnectionTimeout(CONNECT_TIMEOUT_MS);
        config.setRequestTimeout(REQUEST_TIMEOUT_MS);
        config.setRequestRetryBackoffLimit(0);
        config.setUserAgent("aws-k8s-agent/" + version());
        return config;
    }

    /** The build's version; "unknown" rather than a failure, since only the user agent needs it. */
    static String version() {
        var props = new Properties();
        try (var in = KubeClientConfig.class.getResourceAsStream("/io/vpccni/ipamd/version.properties")) {
            if (in != null) {
                props.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        var version = props.getProperty("version", "unknown");
        return version.startsWith("${") ? "unknown" : version;
    }
}
