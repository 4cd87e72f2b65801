package io.vpccni.ipamd.guard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Decides who manages a link: systemd-networkd from its state file ({@code ADMIN_STATE} in
 * /run/systemd/netif/links/&lt;ifindex&gt;; only "unmanaged" is acceptable, "pending" means undecided), or
 * ahead of time from the .network file that would claim the link at the next reload; NetworkManager from its
 * per-device state; else nobody. Every path is configurable for tests and unusual hosts.
 */
public final class LinkOwnership {
    /** Where each manager keeps what we read. */
    public record Paths(Path networkdLinks, List<Path> networkDirectories, Path networkManagerDevices) {
        /**
         * The standard paths, each overridable for tests and unusual hosts: GUARD_NETWORKD_LINKS_DIR,
         * GUARD_NETWORK_DIRS (colon-separated, in precedence order) and GUARD_NETWORKMANAGER_DEVICES_DIR.
         */
        public static Paths fromEnv(java.util.Map<String, String> env) {
            var standard = standard();
            var dirs = env.get("GUARD_NETWORK_DIRS");
            return new Paths(
                    env.containsKey("GUARD_NETWORKD_LINKS_DIR") ? Path.of(env.get("GUARD_NETWORKD_LINKS_DIR")) : standard.networkdLinks(),
                    dirs != null ? java.util.Arrays.stream(dirs.split(":")).filter(d -> !d.isBlank()).map(Path::of).toList()
                            : standard.networkDirectories(),
                    env.containsKey("GUARD_NETWORKMANAGER_DEVICES_DIR") ? Path.of(env.get("GUARD_NETWORKMANAGER_DEVICES_DIR"))
                            : standard.networkManagerDevices());
        }

        public static Paths standard() {
            return new Paths(Path.of("/run/systemd/netif/links"),
                    List.of(Path.of("/etc/systemd/network"), Path.of("/run/systemd/network"), Path.of("/usr/local/lib/systemd/network"),
                            Path.of("/usr/lib/systemd/network"), Path.of("/lib/systemd/network")),
                    Path.of("/run/NetworkManager/devices"));
        }
    }

    private final Paths paths;
    private final NetworkFiles files;

    public LinkOwnership(Paths paths) {
        this.paths = paths;
        this.files = new NetworkFiles(paths.networkDirectories());
    }

    public Owner ownerOf(int ifindex, String ifName, String mac) {
        var state = paths.networkdLinks().resolve(Integer.toString(ifindex));
        var predicted = files.choose(ifName, mac);
        if (Files.exists(state)) {
            var admin = value(state, "ADMIN_STATE");
            if (!"unmanaged".equals(admin)) {
                return new Owner.Networkd(admin == null ? "unknown" : admin, orEmpty(value(state, "NETWORK_FILE")));
            }
        }
        if (predicted.isPresent() && !predicted.get().unmanaged()) {
            return new Owner.NetworkdPredicted(predicted.get().file().toString());
        }
        var nm = paths.networkManagerDevices().resolve(Integer.toString(ifindex));
        if (Files.exists(nm) && !"false".equalsIgnoreCase(value(nm, "managed"))) {
            return new Owner.NetworkManager(nm + " has the device");
        }
        if (Files.exists(state)) {
            return new Owner.Nobody("systemd-networkd: ADMIN_STATE=unmanaged");
        }
        return new Owner.Nobody(predicted.isPresent() ? predicted.get().file() + " says Unmanaged=yes" : "no manager claims it");
    }

    /** A KEY=value line of a state file, or null. */
    private static String value(Path file, String key) {
        try {
            for (var line : Files.readAllLines(file)) {
                var eq = line.indexOf('=');
                if (eq > 0 && line.substring(0, eq).strip().equals(key)) {
                    return line.substring(eq + 1).strip();
                }
            }
            return null;
        } catch (java.nio.file.NoSuchFileException gone) {
            return null;  // networkd replaced or removed it between the check and the read
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
