package io.vpccni.ipamd.host;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernel settings the node needs, as upstream's init container sets them: loose reverse-path
 * filtering on the primary interface (replies to pods on secondary ENIs arrive there while the pod's
 * route points elsewhere) and, when asked, no TCP early demux (it caches a route that ignores policy rules,
 * which breaks pods with security groups). Each value is written only when different, and logged.
 */
public final class Sysctls {
    private static final Logger log = LoggerFactory.getLogger(Sysctls.class);

    private final Path root;

    /** @param root {@code /proc/sys}, or a directory of the same shape in tests */
    public Sysctls(Path root) {
        this.root = root;
    }

    public void applyForNode(String primaryLink, boolean disableTcpEarlyDemux) throws IOException {
        if (!primaryLink.matches("[A-Za-z0-9_.-]{1,15}")) {
            throw new IllegalArgumentException("'" + primaryLink + "' is not an interface name");
        }
        set("net/ipv4/conf/" + primaryLink + "/rp_filter", "2", "replies to pods on secondary ENIs arrive on the primary ENI");
        if (disableTcpEarlyDemux) {
            set("net/ipv4/tcp_early_demux", "0", "DISABLE_TCP_EARLY_DEMUX=true");
        }
    }

    /** Writes {@code value} unless the key already holds it. @return whether it wrote */
    boolean set(String key, String value, String why) throws IOException {
        var file = root.resolve(key);
        String before;
        try {
            before = Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new IOException("sysctl " + key.replace('/', '.') + " cannot be read: " + e.getMessage(), e);
        }
        if (before.equals(value)) {
            log.info("sysctl {} = {} already ({})", key.replace('/', '.'), value, why);
            return false;
        }
        try {
            Files.writeString(file, value, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IOException("sysctl " + key.replace('/', '.') + " cannot be set to " + value
                    + " (is the daemon privileged with /proc/sys writable?): " + e.getMessage(), e);
        }
        log.info("sysctl {}: {} -> {} ({})", key.replace('/', '.'), before, value, why);
        return true;
    }
}
