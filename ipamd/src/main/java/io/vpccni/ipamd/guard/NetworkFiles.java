package io.vpccni.ipamd.guard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * systemd-networkd's .network files as networkd picks them: all directories merged by file name (a name in an
 * earlier directory hides the same name in later ones), tried in file-name order, the first whose [Match]
 * fits the link wins. Only the match keys ENIs are matched by are understood (Name=, MACAddress=,
 * PermanentMACAddress=); a file with any other match key is treated as not matching, never guessed at.
 */
final class NetworkFiles {
    /** The file that would configure a link, and whether it says Unmanaged=yes. */
    record Choice(Path file, boolean unmanaged) {
    }

    private final List<Path> directories;

    /** @param directories in precedence order, e.g. /etc/systemd/network, /run/systemd/network, /usr/lib/systemd/network */
    NetworkFiles(List<Path> directories) {
        this.directories = List.copyOf(directories);
    }

    Optional<Choice> choose(String ifName, String mac) {
        var byName = new TreeMap<String, Path>();
        for (var dir : directories) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (var files = Files.list(dir)) {
                for (var f : (Iterable<Path>) files::iterator) {
                    var name = f.getFileName().toString();
                    if (name.endsWith(".network") && !byName.containsKey(name)) {
                        byName.put(name, f);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir, e);
            }
        }
        for (var file : byName.values()) {
            var parsed = parse(file);
            if (parsed.matches(ifName, mac)) {
                return Optional.of(new Choice(file, parsed.unmanaged));
            }
        }
        return Optional.empty();
    }

    private record Parsed(List<String> names, List<String> macs, boolean otherKeys, boolean unmanaged) {
        boolean matches(String ifName, String mac) {
            if (otherKeys || (names.isEmpty() && macs.isEmpty())) {
                return false;
            }
            var nameOk = names.isEmpty() || names.stream().anyMatch(glob -> glob(glob, ifName));
            var macOk = macs.isEmpty() || macs.stream().anyMatch(m -> m.equalsIgnoreCase(mac));
            return nameOk && macOk;
        }
    }

    private static Parsed parse(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        var names = new ArrayList<String>();
        var macs = new ArrayList<String>();
        var other = false;
        var unmanaged = false;
        var section = "";
        for (var raw : lines) {
            var line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                section = line;
                continue;
            }
            var eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            var key = line.substring(0, eq).strip();
            var value = line.substring(eq + 1).strip();
            if (section.equals("[Match]")) {
                switch (key) {
                    case "Name" -> names.addAll(List.of(value.split("\\s+")));
                    case "MACAddress", "PermanentMACAddress" -> macs.addAll(List.of(value.split("\\s+")));
                    default -> other = true;
                }
            } else if (section.equals("[Link]") && key.equals("Unmanaged")) {
                unmanaged = value.equalsIgnoreCase("yes") || value.equalsIgnoreCase("true") || value.equals("1");
            }
        }
        return new Parsed(names, macs, other, unmanaged);
    }

    private static boolean glob(String pattern, String name) {
        return FileSystems.getDefault().getPathMatcher("glob:" + pattern).matches(Path.of(name));
    }
}
