package io.vpccni.ipamd.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether nm-cloud-setup is enabled: systemctl enable links its timer or service into a {@code *.wants}
 * directory of {@code /etc/systemd/system}. {@code enabled} lists each link found as "path -> target".
 */
public record UnitFacts(Path dir, boolean dirExists, List<String> enabled) {
    static final List<String> NM_CLOUD_SETUP = List.of("nm-cloud-setup.timer", "nm-cloud-setup.service");

    public UnitFacts {
        enabled = List.copyOf(enabled);
    }

    static UnitFacts read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return new UnitFacts(dir, false, List.of());
        }
        var found = new ArrayList<String>();
        try (var wants = Files.newDirectoryStream(dir, p -> p.getFileName().toString().endsWith(".wants"))) {
            for (var want : wants) {
                for (var unit : NM_CLOUD_SETUP) {
                    var link = want.resolve(unit);
                    if (Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        found.add(link + (Files.isSymbolicLink(link) ? " -> " + Files.readSymbolicLink(link) : ""));
                    }
                }
            }
        }
        found.sort(null);
        return new UnitFacts(dir, true, found);
    }
}
