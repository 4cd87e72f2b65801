package io.vpccni.ipamd.guard;

import io.vpccni.ipamd.eni.EniAttachmentListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The optional remediation (off by default): a {@code .network} file per ENI the daemon attaches, matching
 * its MAC with {@code [Link] Unmanaged=yes} and named to sort before every distribution's and nodeadm's
 * files, which is the fix users of the upstream bug apply by hand. It is written before the ENI is attached
 * and removed when the ENI is deleted. systemd-networkd reads it at its next reload or restart (the moments
 * it would otherwise adopt the ENI); until networkd reports a link unmanaged the guard still refuses it.
 */
public final class UnmanagedNetworkFiles implements EniAttachmentListener {
    private static final Logger log = LoggerFactory.getLogger(UnmanagedNetworkFiles.class);
    static final String PREFIX = "01-aws-vpc-cni-";
    private static final Pattern ENI_ID = Pattern.compile("eni-[0-9a-f]{1,32}");
    private static final Pattern MAC = Pattern.compile("([0-9a-f]{2}:){5}[0-9a-f]{2}");

    private final Path dir;

    public UnmanagedNetworkFiles(Path dir) {
        this.dir = dir;
    }

    /**
     * On with GUARD_WRITE_UNMANAGED_NETWORK_FILES=true, in GUARD_UNMANAGED_NETWORK_DIR (default: the first
     * directory the guard reads .network files from, /etc/systemd/network on a node).
     */
    public static Optional<UnmanagedNetworkFiles> fromEnv(Map<String, String> env, LinkOwnership.Paths paths) {
        if (!io.vpccni.ipamd.config.Env.bool(env, "GUARD_WRITE_UNMANAGED_NETWORK_FILES", false)) {
            return Optional.empty();
        }
        var dir = env.getOrDefault("GUARD_UNMANAGED_NETWORK_DIR", paths.networkDirectories().getFirst().toString());
        return Optional.of(new UnmanagedNetworkFiles(Path.of(dir)));
    }

    @Override
    public void beforeAttach(String eniId, String mac) {
        try {
            write(eniId, mac);
        } catch (IOException | RuntimeException e) {
            log.error("{}: cannot write its Unmanaged=yes file in {} (the guard still refuses it if networkd takes it): {}",
                    eniId, dir, e.getMessage());
        }
    }

    @Override
    public void deleted(String eniId) {
        try {
            remove(eniId);
        } catch (IOException | RuntimeException e) {
            log.error("{}: cannot remove its Unmanaged=yes file from {}: {}", eniId, dir, e.getMessage());
        }
    }

    Path fileOf(String eniId) {
        if (!ENI_ID.matcher(eniId).matches()) {
            throw new IllegalArgumentException("'" + eniId + "' is not an ENI id");
        }
        return dir.resolve(PREFIX + eniId + ".network");
    }

    /** Writes (atomically) the file that keeps systemd-networkd off this ENI. */
    public void write(String eniId, String mac) throws IOException {
        var lower = mac.toLowerCase(java.util.Locale.ROOT);
        if (!MAC.matcher(lower).matches()) {
            throw new IllegalArgumentException("'" + mac + "' is not a MAC address");
        }
        var file = fileOf(eniId);
        var content = "# Written by aws-k8s-agent (GUARD_WRITE_UNMANAGED_NETWORK_FILES=true): " + eniId
                + " carries pod addresses, so systemd-networkd must leave it alone. Removed when the ENI is deleted.\n"
                + "[Match]\nMACAddress=" + lower + "\n\n[Link]\nUnmanaged=yes\n";
        if (Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).equals(content)) {
            return;
        }
        var temp = dir.resolve("." + file.getFileName() + ".tmp");
        Files.writeString(temp, content, StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        log.info("wrote {}: systemd-networkd leaves {} ({}) unmanaged from its next reload or restart", file, eniId, lower);
    }

    public void remove(String eniId) throws IOException {
        if (Files.deleteIfExists(fileOf(eniId))) {
            log.info("removed {}: {} is gone", fileOf(eniId), eniId);
        }
    }

    /** At start: a file for each of {@code enis} (id → MAC), and none left for ENIs the node no longer has. */
    public void sync(Map<String, String> enis) {
        enis.forEach(this::beforeAttach);
        try (var files = Files.list(dir)) {
            for (var f : files.toList()) {
                var name = f.getFileName().toString();
                if (name.startsWith(PREFIX) && name.endsWith(".network")) {
                    var eniId = name.substring(PREFIX.length(), name.length() - ".network".length());
                    if (!enis.containsKey(eniId) && ENI_ID.matcher(eniId).matches()) {
                        deleted(eniId);
                    }
                }
            }
        } catch (IOException e) {
            log.error("cannot list {} for stale Unmanaged=yes files: {}", dir, e.getMessage());
        }
    }
}
