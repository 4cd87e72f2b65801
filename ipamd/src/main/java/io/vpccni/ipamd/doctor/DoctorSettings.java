package io.vpccni.ipamd.doctor;

import io.vpccni.ipamd.checkpoint.FileCheckpointStore;
import io.vpccni.ipamd.config.DaemonConfig;
import io.vpccni.ipamd.config.Env;
import io.vpccni.ipamd.guard.LinkOwnership;
import io.vpccni.ipamd.policy.PoolConfig;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the doctor reads, from the daemon's own environment (it runs in the aws-node container, so it gets the same
 * variables). A value the daemon would refuse does not stop the doctor: it is reported and the default is used, so
 * the rest of the node is still examined.
 *
 * @param introspection     where /v1/pods and /v1/guard are served; null when not served ({@code introspectionOff} says why)
 * @param procSys           {@code /proc/sys}, or DOCTOR_PROC_SYS
 * @param systemdSystemDir  where enabled units are linked ({@code /etc/systemd/system}), or DOCTOR_SYSTEMD_SYSTEM_DIR
 * @param ownership         the guard's paths (GUARD_*); their .network directories also hold the udev .link files
 * @param pool              the warm-pool settings: addressing mode, MAX_ENI, whether the pool may grow at all
 */
public record DoctorSettings(Path socket, URI introspection, String introspectionOff, URI imdsEndpoint, Path conflistDir,
                             Path checkpoint, Path procSys, Path systemdSystemDir, LinkOwnership.Paths ownership,
                             String vethPrefix, PoolConfig pool, boolean customNetworking, boolean imdsOnly,
                             List<String> errors) {
    public static final String PROC_SYS = "DOCTOR_PROC_SYS";
    public static final String SYSTEMD_SYSTEM_DIR = "DOCTOR_SYSTEMD_SYSTEM_DIR";

    public DoctorSettings {
        errors = List.copyOf(errors);
    }

    public static DoctorSettings fromEnv(Map<String, String> env) {
        var errors = new ArrayList<String>();
        var daemon = read(errors, () -> DaemonConfig.fromEnv(env), () -> DaemonConfig.fromEnv(Map.of()));
        URI introspection = null;
        String off = "";
        if (daemon.introspection() == null) {
            off = "DISABLE_INTROSPECTION=true: the daemon serves no /v1/pods or /v1/guard";
        } else if (daemon.introspection() instanceof InetSocketAddress inet) {
            introspection = IntrospectionClient.baseOf(inet);
        } else {
            off = "INTROSPECTION_BIND_ADDRESS=" + env.get("INTROSPECTION_BIND_ADDRESS") + ": a Unix socket, which the doctor does not read";
        }
        return new DoctorSettings(daemon.socketPath(), introspection, off,
                read(errors, () -> url(env, "AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://169.254.169.254"), () -> URI.create("http://169.254.169.254")),
                path(errors, env, "HOST_CNI_CONFDIR_PATH", "/host/etc/cni/net.d"),
                path(errors, env, "AWS_VPC_K8S_CNI_BACKING_STORE", FileCheckpointStore.DEFAULT_PATH.toString()),
                path(errors, env, PROC_SYS, "/proc/sys"),
                path(errors, env, SYSTEMD_SYSTEM_DIR, "/etc/systemd/system"),
                LinkOwnership.Paths.fromEnv(env),
                daemon.vethPrefix(),
                read(errors, () -> PoolConfig.fromEnv(env), PoolConfig::defaults),
                read(errors, () -> Env.bool(env, "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG", false), () -> false),
                read(errors, () -> Env.bool(env, "ENABLE_IMDS_ONLY_MODE", false), () -> false),
                errors);
    }

    /** Whether the daemon may attach ENIs and addresses at all. */
    public boolean poolCanGrow() {
        return !pool.networkResourceProvisioningDisabled() && !imdsOnly;
    }

    private static <T> T read(List<String> errors, Supplier<T> value, Supplier<T> fallback) {
        try {
            return value.get();
        } catch (IllegalArgumentException e) {
            errors.add(e.getMessage());
            return fallback.get();
        }
    }

    private static Path path(List<String> errors, Map<String, String> env, String name, String fallback) {
        return read(errors, () -> {
            var value = Env.get(env, name);
            var path = Path.of(value == null ? fallback : value);
            if (!path.isAbsolute()) {
                throw new IllegalArgumentException(name + "='" + value + "' must be an absolute path");
            }
            return path;
        }, () -> Path.of(fallback));
    }

    private static URI url(Map<String, String> env, String name, String fallback) {
        var value = Env.get(env, name);
        try {
            var uri = URI.create(value == null ? fallback : value);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new IllegalArgumentException("no scheme or host");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + "='" + value + "' must be a URL such as " + fallback);
        }
    }
}
