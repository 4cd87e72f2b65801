package io.vpccni.simcloud;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A decoded EC2 Query request: flat parameters plus helpers for the {@code Name.N[.Sub]} list convention. */
public record QueryRequest(Map<String, String> params) {

    /** EC2 filter: one name, any of several values (values may contain * and ? wildcards). */
    public record Filter(String name, List<String> values) {}

    public static QueryRequest parse(String formBody) {
        var params = new LinkedHashMap<String, String>();
        if (formBody != null && !formBody.isEmpty()) {
            for (String pair : formBody.split("&")) {
                if (pair.isEmpty()) continue;
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                params.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
        }
        return new QueryRequest(Map.copyOf(params));
    }

    public String action() {
        return params.getOrDefault("Action", "");
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(params.get(name));
    }

    public String required(String name) {
        String value = params.get(name);
        if (value == null || value.isEmpty()) {
            throw new Ec2Error("MissingParameter", "The request must contain the parameter " + name);
        }
        return value;
    }

    public int intParam(String name, int defaultValue) {
        String value = params.get(name);
        if (value == null) return defaultValue;
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new Ec2Error("InvalidParameterValue", "Value (" + value + ") for parameter " + name + " is invalid. Expected an integer.");
        }
    }

    public boolean boolParam(String name, boolean defaultValue) {
        String value = params.get(name);
        return value == null ? defaultValue : Boolean.parseBoolean(value);
    }

    /** Values of {@code prefix.1}, {@code prefix.2}, … in index order; gaps end the list, as in the SDKs. */
    public List<String> list(String prefix) {
        var values = new ArrayList<String>();
        for (int i = 1; params.containsKey(prefix + "." + i); i++) values.add(params.get(prefix + "." + i));
        return values;
    }

    /** Pairs {@code prefix.N.Key} / {@code prefix.N.Value}, in index order. */
    public Map<String, String> tags(String prefix) {
        var tags = new LinkedHashMap<String, String>();
        for (int i = 1; params.containsKey(prefix + "." + i + ".Key"); i++) {
            tags.put(params.get(prefix + "." + i + ".Key"), params.getOrDefault(prefix + "." + i + ".Value", ""));
        }
        return tags;
    }

    public List<Filter> filters() {
        var filters = new ArrayList<Filter>();
        for (int i = 1; params.containsKey("Filter." + i + ".Name"); i++) {
            filters.add(new Filter(params.get("Filter." + i + ".Name"), list("Filter." + i + ".Value")));
        }
        return filters;
    }

    /** The access key of a SigV4 {@code Authorization} header ({@code Credential=AKID/date/region/ec2/aws4_request}). */
    public static Optional<String> accessKeyOf(String authorization) {
        if (authorization == null) return Optional.empty();
        int at = authorization.indexOf("Credential=");
        if (at < 0) return Optional.empty();
        int start = at + "Credential=".length();
        int slash = authorization.indexOf('/', start);
        return slash > start ? Optional.of(authorization.substring(start, slash)) : Optional.empty();
    }
}
