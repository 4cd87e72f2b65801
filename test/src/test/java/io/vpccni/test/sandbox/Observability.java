package io.vpccni.test.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;

/** What an operator sees of the sandbox's daemon: short excerpts of introspection, and what a scrape costs. */
final class Observability {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> KEY_SERIES = List.of("awscni_eni_allocated", "awscni_eni_max", "awscni_total_ip_addresses",
            "awscni_assigned_ip_addresses", "awscni_ip_max", "awscni_add_ip_req_count", "awscni_no_available_ip_addresses",
            "awscni_ec2api_req_count", "awscni_restored_total");
    private static final int SCRAPES = 20;

    private Observability() {
    }

    static void printIntrospection(HttpClient client) throws IOException, InterruptedException {
        var enis = get(client, "/v1/enis");
        System.out.printf("%nintrospection (127.0.0.1:61679): /v1/enis  TotalIPs %d, AssignedIPs %d%n",
                enis.get("TotalIPs").asInt(), enis.get("AssignedIPs").asInt());
        for (var eni : enis.get("ENIs")) {
            var assigned = eni.get("AvailableIPv4Cidrs").valueStream()
                    .mapToLong(c -> c.get("IPAddresses").valueStream().filter(a -> !a.get("IPAMKey").get("networkName").asText().isEmpty()).count())
                    .sum();
            System.out.printf("  %s device %d%s route table %d, %d CIDRs, %d assigned%n", eni.get("ID").asText(),
                    eni.get("DeviceNumber").asInt(), eni.get("IsPrimary").asBoolean() ? " (primary)," : ",",
                    eni.get("RouteTableID").asInt(), eni.get("AvailableIPv4Cidrs").size(), assigned);
        }
        var started = System.nanoTime();
        var pods = get(client, "/v1/pods");
        var took = (System.nanoTime() - started) / 1e6;
        var pool = pods.get("pool");
        var list = pods.get("pods");
        System.out.printf("/v1/pods (%.1f ms)  pool %s, %d assigned, %d available, max pods %d; first %d of %d pods:%n", took,
                pool.get("open").asBoolean() ? "open" : "closed (" + pool.get("reason").asText() + ")",
                pool.get("assignedAddresses").asInt(), pool.get("availableAddresses").asInt(), pool.get("maxPods").asInt(),
                Math.min(4, list.size()), list.size());
        list.valueStream().limit(4).forEach(p -> System.out.printf("  %s/%s %s on %s table %d veth %s, host side %s%n",
                p.get("namespace").asText(), p.get("name").asText(), p.get("ip").asText(), p.get("eniId").asText(),
                p.get("routeTable").asInt(), p.get("hostVeth").asText(),
                p.get("wiring").get("healthy").asBoolean() ? "complete" : p.get("wiring").get("drifts").toString()));
    }

    /** Scrapes {@link #SCRAPES} times: the series, the size, the time; and the series an operator looks at first. */
    static void printMetrics(HttpClient client) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:61678/metrics")).build();
        var millis = new double[SCRAPES];
        String body = "";
        for (var i = 0; i < SCRAPES; i++) {
            var start = System.nanoTime();
            body = client.send(request, HttpResponse.BodyHandlers.ofString()).body();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        var series = body.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).count();
        var ours = body.lines().filter(l -> l.startsWith("awscni_")).count();
        System.out.printf("%nmetrics (:61678/metrics): %d series (%d awscni_*), %d bytes; %d scrapes: median %.1f ms, max %.1f ms%n",
                series, ours, body.length(), SCRAPES, millis[SCRAPES / 2], millis[SCRAPES - 1]);
        body.lines().filter(l -> KEY_SERIES.stream().anyMatch(k -> l.startsWith(k + " ") || l.startsWith(k + "{")))
                .forEach(l -> System.out.println("  " + l));
    }

    private static JsonNode get(HttpClient client, String path) throws IOException, InterruptedException {
        var response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:61679" + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }
}
