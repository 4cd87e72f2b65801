package io.vpccni.test.chart;

import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Values given to the chart on top of its values.yaml, by dotted path ({@code env.ANNOTATE_POD_IP}), written as a
 * values file: {@code --set} would reinterpret commas, dots and types, a file gives Helm exactly the YAML a user
 * would write.
 */
public final class ChartValues {
    private final Map<String, Object> tree = new LinkedHashMap<>();

    private ChartValues() {
    }

    public static ChartValues defaults() {
        return new ChartValues();
    }

    /** Sets one value; a map or list value replaces that whole subtree, as in a user's values file. */
    @SuppressWarnings("unchecked")
    public ChartValues with(String dottedPath, Object value) {
        var keys = dottedPath.split("\\.");
        var node = tree;
        for (var i = 0; i < keys.length - 1; i++) {
            node = (Map<String, Object>) node.computeIfAbsent(keys[i], k -> new LinkedHashMap<String, Object>());
        }
        node.put(keys[keys.length - 1], value);
        return this;
    }

    boolean isDefault() {
        return tree.isEmpty();
    }

    Path writeTo(Path dir) {
        try {
            var file = Files.createTempFile(dir, "values-", ".yaml");
            Files.writeString(file, Serialization.asYaml(tree));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the chart values to " + dir, e);
        }
    }

    @Override
    public String toString() {
        return isDefault() ? "the chart's defaults" : tree.toString();
    }
}
