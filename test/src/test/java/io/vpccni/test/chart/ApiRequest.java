package io.vpccni.test.chart;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * One request to the API server as RBAC sees it: the verb and the object, parsed from the HTTP method and path the
 * way the API server's request-info resolver does (GET of one object get, of a collection list, with
 * {@code watch=true} watch; POST create; PUT update; PATCH patch; DELETE delete or deletecollection; a list or
 * watch with {@code fieldSelector=metadata.name=X} is about the object X, which is what lets a resourceNames rule
 * allow it). A path outside /api and /apis is a non-resource URL.
 *
 * @param resource  the resource, with "/subresource" when there is one; null for a non-resource URL
 * @param namespace null for a cluster-scoped object or request
 * @param name      null when the request names no object (create, list of everything)
 */
public record ApiRequest(String verb, String group, String resource, String namespace, String name, String path) {

    public static ApiRequest of(String method, String pathAndQuery) {
        var q = pathAndQuery.indexOf('?');
        var path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        var query = q < 0 ? Map.<String, String>of() : query(pathAndQuery.substring(q + 1));
        var parts = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
        int rest;
        String group;
        if (parts.size() >= 2 && parts.getFirst().equals("api")) {
            group = "";
            rest = 2;
        } else if (parts.size() >= 3 && parts.getFirst().equals("apis")) {
            group = parts.get(1);
            rest = 3;
        } else {
            return new ApiRequest(method.toLowerCase(), null, null, null, null, path);
        }
        var tail = parts.subList(rest, parts.size());
        var watchPrefix = !tail.isEmpty() && tail.getFirst().equals("watch");  // the old /api/v1/watch/... form
        if (watchPrefix) {
            tail = tail.subList(1, tail.size());
        }
        String namespace = null;
        if (tail.size() >= 3 && tail.getFirst().equals("namespaces")) {
            namespace = tail.get(1);
            tail = tail.subList(2, tail.size());
        }
        if (tail.isEmpty()) {
            throw new IllegalArgumentException("no resource in " + pathAndQuery);
        }
        var resource = tail.getFirst() + (tail.size() >= 3 ? "/" + tail.get(2) : "");
        var name = tail.size() >= 2 ? tail.get(1) : null;
        var verb = switch (method.toUpperCase()) {
            case "GET", "HEAD" -> name != null ? "get" : watchPrefix || "true".equals(query.get("watch")) ? "watch" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name != null ? "delete" : "deletecollection";
            default -> throw new IllegalArgumentException("no RBAC verb for " + method + " " + pathAndQuery);
        };
        if (name == null && (verb.equals("list") || verb.equals("watch") || verb.equals("deletecollection"))) {
            name = singleName(query.get("fieldSelector"));
        }
        return new ApiRequest(verb, group, resource, namespace, name, path);
    }

    public boolean nonResource() {
        return resource == null;
    }

    private static String singleName(String fieldSelector) {
        if (fieldSelector == null || fieldSelector.contains(",")) {
            return null;
        }
        for (var prefix : new String[] {"metadata.name=", "metadata.name=="}) {
            if (fieldSelector.startsWith(prefix) && !fieldSelector.startsWith(prefix + "=")) {
                return fieldSelector.substring(prefix.length());
            }
        }
        return null;
    }

    private static Map<String, String> query(String query) {
        var map = new HashMap<String, String>();
        for (var pair : query.split("&")) {
            var eq = pair.indexOf('=');
            var key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            map.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return map;
    }

    @Override
    public String toString() {
        if (nonResource()) {
            return verb + " " + path;
        }
        return verb + " " + (group.isEmpty() ? "core" : group) + "/" + resource
                + (namespace == null ? "" : " in " + namespace) + (name == null ? "" : " named " + name);
    }
}
