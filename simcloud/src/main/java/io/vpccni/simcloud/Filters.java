package io.vpccni.simcloud;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * EC2's Describe* filter semantics for one resource type: every filter must match; within one filter, any of its
 * values, with the wildcards {@code *} and {@code ?}; {@code tag:<key>} matches the tag's value, {@code tag-key}
 * any key, {@code tag-value} any value. Unknown names are refused up front, as EC2 does, so that a typo fails
 * loudly instead of matching nothing.
 */
final class Filters<T> {
    private final Map<String, Function<T, Collection<String>>> fields;
    private final Function<T, Map<String, String>> tags;

    /** @param fields filter name → the item's values for it (empty when it has none) */
    Filters(Map<String, Function<T, Collection<String>>> fields, Function<T, Map<String, String>> tags) {
        this.fields = Map.copyOf(fields);
        this.tags = tags;
    }

    void validate(List<QueryRequest.Filter> filters) {
        for (var f : filters) {
            boolean tag = f.name().startsWith("tag:") || f.name().equals("tag-key") || f.name().equals("tag-value");
            if (!tag && !fields.containsKey(f.name())) {
                throw new Ec2Error("InvalidParameterValue", "The filter '" + f.name() + "' is invalid");
            }
            if (f.values().isEmpty()) {
                throw new Ec2Error("InvalidParameterValue", "The filter '" + f.name() + "' has no value (Filter.N.Value.1 is missing)");
            }
        }
    }

    List<T> apply(List<T> items, List<QueryRequest.Filter> filters) {
        validate(filters);
        return items.stream().filter(item -> filters.stream().allMatch(f -> matches(item, f))).toList();
    }

    private boolean matches(T item, QueryRequest.Filter f) {
        String name = f.name();
        Collection<String> values;
        if (name.startsWith("tag:")) {
            String value = tags.apply(item).get(name.substring(4));
            values = value == null ? List.of() : List.of(value);
        } else if (name.equals("tag-key")) {
            values = tags.apply(item).keySet();
        } else if (name.equals("tag-value")) {
            values = tags.apply(item).values();
        } else {
            values = fields.get(name).apply(item);
        }
        return values.stream().anyMatch(actual -> f.values().stream().anyMatch(p -> wildcard(p).matcher(actual).matches()));
    }

    static Collection<String> one(String value) {
        return value == null ? List.of() : List.of(value);
    }

    private static Pattern wildcard(String pattern) {
        var regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
