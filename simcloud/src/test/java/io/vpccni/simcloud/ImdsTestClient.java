package io.vpccni.simcloud;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;

/** Test-side IMDSv2 client: one token, then GETs under {@code /latest/meta-data/}; 404 is an empty answer. */
final class ImdsTestClient {
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;
    private final String token;

    ImdsTestClient(URI base) throws Exception {
        this.base = base;
        var reply = http.send(HttpRequest.newBuilder(URI.create(base + "/latest/api/token"))
                .header(ImdsServer.TTL_HEADER, "21600").PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (reply.statusCode() != 200) throw new AssertionError("no IMDS token: " + reply.statusCode());
        this.token = reply.body();
    }

    /** The answer at {@code path}; empty on 404. */
    Optional<String> get(String path) throws Exception {
        var reply = http.send(HttpRequest.newBuilder(URI.create(base + "/latest/meta-data/" + path))
                .header(ImdsServer.TOKEN_HEADER, token).build(), HttpResponse.BodyHandlers.ofString());
        if (reply.statusCode() == 404) return Optional.empty();
        if (reply.statusCode() != 200) throw new AssertionError(path + ": HTTP " + reply.statusCode());
        return Optional.of(reply.body());
    }

    List<String> macs() throws Exception {
        return get("network/interfaces/macs/").map(s -> s.lines().map(l -> l.replace("/", "")).toList()).orElse(List.of());
    }

    /** A per-MAC key, e.g. {@code local-ipv4s}, as lines; empty when absent. */
    List<String> perMac(String mac, String key) throws Exception {
        return get("network/interfaces/macs/" + mac + "/" + key).map(s -> s.lines().toList()).orElse(List.of());
    }
}
