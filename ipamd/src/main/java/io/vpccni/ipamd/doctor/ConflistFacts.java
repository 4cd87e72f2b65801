package io.vpccni.ipamd.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The CNI config directory as the runtime reads it: the files it considers (.conf, .conflist, .json) in the order
 * it sorts them (it uses the first), our {@code 10-aws.conflist}'s content, and the first file's when that is
 * another one.
 */
public record ConflistFacts(Path dir, boolean dirExists, List<String> files, Optional<String> ours, Optional<String> first) {
    static final String OURS = "10-aws.conflist";

    public ConflistFacts {
        files = List.copyOf(files);
    }

    static ConflistFacts read(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return new ConflistFacts(dir, false, List.of(), Optional.empty(), Optional.empty());
        }
        List<String> names;
        try (var list = Files.list(dir)) {
            names = list.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".conf") || n.endsWith(".conflist") || n.endsWith(".json")).sorted().toList();
        }
        var ours = names.contains(OURS) ? Optional.of(Files.readString(dir.resolve(OURS))) : Optional.<String>empty();
        var first = !names.isEmpty() && !names.getFirst().equals(OURS)
                ? Optional.of(Files.readString(dir.resolve(names.getFirst()))) : Optional.<String>empty();
        return new ConflistFacts(dir, true, names, ours, first);
    }
}
