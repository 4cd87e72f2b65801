package io.vpccni.ipamd.cloud;

import java.util.List;

/** One EC2 Describe* filter, e.g. {@code tag-key = node.k8s.amazonaws.com/instance_id}; values are OR-ed. */
public record Filter(String name, List<String> values) {
    public Filter {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an EC2 filter needs a name");
        }
        values = List.copyOf(values);
        if (values.isEmpty()) {
            throw new IllegalArgumentException("EC2 filter " + name + " needs at least one value");
        }
    }

    public static Filter of(String name, String... values) {
        return new Filter(name, List.of(values));
    }
}
