package io.vpccni.ipamd.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * udev's {@code MACAddressPolicy=} for veths: the one {@code 99-default.link} that is in effect (the first of the
 * directories, in precedence order, that has one; a symlink to /dev/null masks it) and its {@code .link.d}
 * drop-ins from every directory (by file name, a name in an earlier directory hiding the same name in later ones),
 * applied in file-name order, the last assignment winning.
 *
 * @param policy the value in effect, "" when nothing sets it
 * @param where  "file:line" of that assignment, "" when none
 * @param read   every file that was read, in the order applied
 */
public record MacPolicyFacts(String policy, String where, List<String> read) {
    static final String DEFAULT_LINK = "99-default.link";

    public MacPolicyFacts {
        read = List.copyOf(read);
    }

    static MacPolicyFacts read(List<Path> directories) throws IOException {
        var files = new ArrayList<Path>();
        directories.stream().map(d -> d.resolve(DEFAULT_LINK)).filter(Files::exists).findFirst()
                .filter(f -> !isMasked(f)).ifPresent(files::add);
        var dropIns = new TreeMap<String, Path>();
        for (var dir : directories) {
            var d = dir.resolve(DEFAULT_LINK + ".d");
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (var confs = Files.newDirectoryStream(d, "*.conf")) {
                confs.forEach(c -> dropIns.putIfAbsent(c.getFileName().toString(), c));
            }
        }
        dropIns.values().stream().filter(f -> !isMasked(f)).forEach(files::add);
        var policy = "";
        var where = "";
        for (var file : files) {
            var lines = Files.readAllLines(file);
            var section = "";
            for (var i = 0; i < lines.size(); i++) {
                var line = lines.get(i).strip();
                if (line.startsWith("[")) {
                    section = line;
                } else if (section.equals("[Link]") && line.startsWith("MACAddressPolicy")) {
                    var eq = line.indexOf('=');
                    if (eq > 0 && line.substring(0, eq).strip().equals("MACAddressPolicy")) {
                        policy = line.substring(eq + 1).strip();
                        where = file + ":" + (i + 1);
                    }
                }
            }
        }
        return new MacPolicyFacts(policy, where, files.stream().map(Path::toString).toList());
    }

    private static boolean isMasked(Path file) {
        try {
            return Files.isSymbolicLink(file) && Files.readSymbolicLink(file).toString().equals("/dev/null");
        } catch (IOException e) {
            return false;
        }
    }
}
