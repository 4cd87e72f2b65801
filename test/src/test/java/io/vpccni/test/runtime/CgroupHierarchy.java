package io.vpccni.test.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The cgroup file systems a container runtime needs, inside the test JVM's private mount namespace. The JVM's
 * wrapper mounted a fresh sysfs over /sys (so /sys/class/net describes the private network namespace), and that
 * hides the host's /sys/fs/cgroup mounts; runc cannot start a container without them. This mounts the same
 * hierarchies again, as PID 1's mount table lists them (v1 controllers, v2, or both), visible only in this
 * namespace. Containers go under one parent cgroup of their own, {@link #PARENT}, removed when the tier is done.
 */
final class CgroupHierarchy {
    /** The cgroup parent of every container the runtime tier starts. */
    static final String PARENT = "vpccni-e2e";
    private static final Path ROOT = Path.of("/sys/fs/cgroup");

    private record Mount(Path point, String type, String options) {
    }

    private CgroupHierarchy() {
    }

    /** Something that mounts a file system at a point (and remembers it, to unmount it later). */
    interface Mounter {
        void mount(Path point, String... how);
    }

    /** Mounts the host's cgroup hierarchies at /sys/fs/cgroup in this mount namespace, unless they are visible already. */
    static void mount(Mounter mounter) {
        if (mountedHere()) {
            return;
        }
        for (var m : hostMounts()) {
            if (!m.point().equals(ROOT)) {
                Command.of("mkdir", "-p", m.point().toString()).output();  // in the tmpfs mounted just before
            }
            var how = new ArrayList<>(List.of("-t", m.type()));
            if (!m.options().isEmpty()) {
                how.addAll(List.of("-o", m.options()));
            }
            how.add(m.type());
            mounter.mount(m.point(), how.toArray(String[]::new));
        }
    }

    /** Removes the tier's parent cgroup from every hierarchy (deepest first); containers already left it. */
    static void removeParent() {
        if (!mountedHere()) {
            return;
        }
        try (var dirs = Files.list(ROOT)) {
            var roots = new ArrayList<Path>(dirs.filter(Files::isDirectory).toList());
            roots.add(ROOT);
            for (var root : roots) {
                var parent = root.resolve(PARENT);
                if (!Files.isDirectory(parent)) {
                    continue;
                }
                try (var tree = Files.walk(parent)) {
                    // cgroup files cannot be deleted, only their directories (rmdir), which the kernel allows once empty
                    tree.filter(Files::isDirectory).sorted(Comparator.reverseOrder())
                            .forEach(d -> Command.of("rmdir", d.toString()).run());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether this namespace sees cgroups at /sys/fs/cgroup. Not from its mountinfo: that still lists the host's
     * cgroup mounts under the sysfs stacked over them, where nothing can reach them.
     */
    private static boolean mountedHere() {
        try (var entries = Files.list(ROOT)) {
            return entries.findAny().isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    private static List<Mount> hostMounts() {
        var mounts = mountsOf(Path.of("/proc/1/mountinfo"));
        if (mounts.isEmpty()) {
            throw new IllegalStateException("PID 1 has no cgroup file systems under " + ROOT + ": containers cannot run here");
        }
        return mounts;
    }

    /** The cgroup mounts (and the tmpfs holding v1's) under /sys/fs/cgroup in a mountinfo file, parents first. */
    private static List<Mount> mountsOf(Path mountinfo) {
        try {
            var out = new ArrayList<Mount>();
            for (var line : Files.readAllLines(mountinfo)) {
                var fields = line.split(" ");
                var point = Path.of(fields[4]);
                var dash = List.of(fields).indexOf("-");
                var type = fields[dash + 1];
                if (!point.startsWith(ROOT) || !(type.equals("cgroup") || type.equals("cgroup2") || type.equals("tmpfs"))) {
                    continue;
                }
                out.add(new Mount(point, type, options(type, fields[dash + 3])));
            }
            out.sort(Comparator.comparingInt(m -> m.point().getNameCount()));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The super-block options that select a v1 hierarchy (its controllers or name=); v2 and tmpfs need none. */
    private static String options(String type, String superOptions) {
        if (!type.equals("cgroup")) {
            return type.equals("tmpfs") ? "mode=0755" : "";
        }
        var selectors = List.of(superOptions.split(",")).stream().filter(o -> !o.equals("rw") && !o.equals("ro")).toList();
        var joined = String.join(",", selectors);
        return joined.startsWith("name=") ? "none," + joined : joined;
    }
}
