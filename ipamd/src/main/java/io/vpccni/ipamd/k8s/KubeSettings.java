package io.vpccni.ipamd.k8s;

import io.vpccni.ipamd.config.Env;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * How the daemon reaches the API server and who it is there. In a cluster: the pod's service account (the
 * variables {@code KUBERNETES_SERVICE_HOST}/{@code _PORT} that kubelet sets); {@code KUBECONFIG} for the sandbox
 * and tests; {@code CLUSTER_ENDPOINT} overrides the server's URL in either case. The names come from the
 * downward API, as the chart sets them.
 *
 * @param kubeconfig     {@code KUBECONFIG}, when set
 * @param endpoint       {@code CLUSTER_ENDPOINT}, when set
 * @param inCluster      whether kubelet told the pod where its API server is
 * @param nodeName       {@code MY_NODE_NAME}: the Node watched, the CNINode patched, the holder of the lease
 * @param podName        {@code MY_POD_NAME}: the aws-node pod events are posted on (the Node when unknown)
 * @param podNamespace   {@code MY_POD_NAMESPACE} (default kube-system): where the events and the lease live
 */
public record KubeSettings(Optional<Path> kubeconfig, Optional<URI> endpoint, boolean inCluster, Optional<String> nodeName,
                           Optional<String> podName, String podNamespace) {

    public static KubeSettings fromEnv(Map<String, String> env) {
        var kubeconfig = Optional.ofNullable(Env.get(env, "KUBECONFIG")).map(Path::of);
        var endpoint = Optional.ofNullable(Env.get(env, "CLUSTER_ENDPOINT")).map(value -> {
            try {
                var uri = URI.create(value);
                if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new IllegalArgumentException("no http(s) scheme or host");
                }
                return uri;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("CLUSTER_ENDPOINT='" + value + "' must be the API server's URL, such as "
                        + "https://ABCD.gr7.us-west-2.eks.amazonaws.com");
            }
        });
        var inCluster = Env.get(env, "KUBERNETES_SERVICE_HOST") != null;
        var namespace = Optional.ofNullable(Env.get(env, "MY_POD_NAMESPACE")).orElse("kube-system");
        return new KubeSettings(kubeconfig, endpoint, inCluster, Optional.ofNullable(Env.get(env, "MY_NODE_NAME")),
                Optional.ofNullable(Env.get(env, "MY_POD_NAME")), namespace);
    }

    /** Whether the daemon has an API server at all: without one, the features that need it are refused at start. */
    public boolean configured() {
        return kubeconfig.isPresent() || endpoint.isPresent() || inCluster;
    }
}
