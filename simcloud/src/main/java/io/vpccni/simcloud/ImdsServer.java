package io.vpccni.simcloud;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * The instance metadata service of one simulated instance, IMDSv2 only: a token from {@code PUT /latest/api/token}
 * is required on every GET. Answers are computed from the account's live state (ENIs, their addresses and
 * prefixes, whoever changed them), except that an ENI attached at a device index above 0 shows up only
 * {@link #newEniDelay} after its attach time, as on real instances, and that with a {@link #changeLag} every
 * answer describes the instance as it was that long ago (real IMDS is eventually consistent).
 */
public final class ImdsServer implements AutoCloseable {
    static final String TOKEN_HEADER = "X-aws-ec2-metadata-token";
    static final String TTL_HEADER = "X-aws-ec2-metadata-token-ttl-seconds";
    private static final String META = "/latest/meta-data/";
    private static final String MACS = META + "network/interfaces/macs/";
    private static final List<String> MAC_KEYS = List.of("device-number", "interface-id", "ipv4-prefix", "local-ipv4s", "mac",
            "network-card", "owner-id", "security-group-ids", "subnet-id", "subnet-ipv4-cidr-block", "vpc-id", "vpc-ipv4-cidr-blocks");

    private final HttpServer http;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final SimulatedAccount account;
    private final String instanceId;
    private final InstantSource clock;
    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private volatile Duration newEniDelay = Duration.ZERO;
    private volatile Duration changeLag = Duration.ZERO;
    /** The instance after each change, oldest first, kept while there is a lag; null once it is terminated. */
    private final List<View> history = new ArrayList<>();
    private final Runnable recorder = this::record;

    private record View(Instant at, Instance instance) {}

    private ImdsServer(HttpServer http, SimulatedAccount account, String instanceId, InstantSource clock) {
        this.http = http;
        this.account = account;
        this.instanceId = instanceId;
        this.clock = clock;
    }

    /** Serves {@code instanceId} on 127.0.0.1 and an ephemeral port (point the SDK's IMDS endpoint at {@link #uri()}). */
    public static ImdsServer start(SimulatedAccount account, String instanceId, InstantSource clock) throws IOException {
        return start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), account, instanceId, clock);
    }

    public static ImdsServer start(InetSocketAddress address, SimulatedAccount account, String instanceId, InstantSource clock)
            throws IOException {
        account.instance(instanceId); // fail fast on an unknown instance
        var server = new ImdsServer(HttpServer.create(address, 0), account, instanceId, clock);
        server.http.createContext("/", server::serve);
        server.http.setExecutor(server.executor);
        account.addChangeListener(server.recorder);
        server.http.start();
        return server;
    }

    /** How long after attachment a new ENI stays invisible here; the daemon must poll past it. */
    public ImdsServer newEniDelay(Duration delay) {
        this.newEniDelay = delay;
        return this;
    }

    /**
     * How long every change to the instance (an ENI attached or detached, addresses or prefixes assigned or
     * unassigned, termination) takes to show here; zero (the default) shows each at once.
     */
    public ImdsServer changeLag(Duration lag) {
        synchronized (history) {
            history.clear();
            changeLag = lag;
            if (!lag.isZero()) {
                history.add(new View(Instant.MIN, snapshot()));  // what was true before now is all that is known
            }
        }
        return this;
    }

    public URI uri() {
        return URI.create("http://" + http.getAddress().getHostString() + ":" + http.getAddress().getPort());
    }

    @Override
    public void close() {
        account.removeChangeListener(recorder);
        http.stop(0);
        executor.shutdownNow();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (path.equals("/latest/api/token")) {
                if (!method.equals("PUT")) { send(exchange, 405, ""); return; }
                issueToken(exchange);
                return;
            }
            if (!method.equals("GET") && !method.equals("HEAD")) { send(exchange, 405, ""); return; }
            if (!validToken(exchange.getRequestHeaders().getFirst(TOKEN_HEADER))) { send(exchange, 401, ""); return; }
            Optional<String> body;
            try {
                var instance = view();
                body = instance == null ? Optional.empty() : answer(instance, path);
            } catch (Ec2Error e) { // the instance was terminated under us
                body = Optional.empty();
            }
            if (body.isPresent()) send(exchange, 200, body.get());
            else send(exchange, 404, "");
        }
    }

    private void issueToken(HttpExchange exchange) throws IOException {
        String ttlText = exchange.getRequestHeaders().getFirst(TTL_HEADER);
        int ttl;
        try {
            ttl = Integer.parseInt(ttlText == null ? "" : ttlText.trim());
        } catch (NumberFormatException e) {
            ttl = -1;
        }
        if (ttl < 1 || ttl > 21600) { send(exchange, 400, ""); return; }
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        tokens.put(token, clock.instant().plusSeconds(ttl));
        exchange.getResponseHeaders().set(TTL_HEADER, Integer.toString(ttl));
        send(exchange, 200, token);
    }

    private boolean validToken(String token) {
        if (token == null) return false;
        var expiry = tokens.get(token);
        return expiry != null && clock.instant().isBefore(expiry);
    }

    private void record() {
        if (changeLag.isZero()) return;
        var instance = snapshot();
        synchronized (history) {
            if (!changeLag.isZero()) {
                history.add(new View(clock.instant(), instance));
                shown0();
            }
        }
    }

    private Instance snapshot() {
        try {
            return account.instance(instanceId);
        } catch (Ec2Error e) {
            return null; // terminated
        }
    }

    /** The instance as this IMDS sees it now: live, or the last state at least {@link #changeLag} old; null when gone. */
    private Instance view() {
        if (changeLag.isZero()) return account.instance(instanceId);
        synchronized (history) {
            return shown0().instance();
        }
    }

    /** The newest state at least {@link #changeLag} old (or the oldest known); older ones are dropped. Holds history. */
    private View shown0() {
        var cutoff = clock.instant().minus(changeLag);
        int shown = 0;
        for (int i = 1; i < history.size(); i++) {
            if (!history.get(i).at().isAfter(cutoff)) shown = i;
        }
        history.subList(0, shown).clear();
        return history.getFirst();
    }

    private Optional<String> answer(Instance instance, String path) {
        var primary = instance.primaryInterface();
        return switch (path) {
            case META + "instance-id" -> Optional.of(instance.id());
            case META + "instance-type" -> Optional.of(instance.type().name());
            case META + "placement/availability-zone" -> Optional.of(instance.availabilityZone());
            case META + "placement/region" -> Optional.of(region(instance));
            case META + "local-ipv4" -> Optional.of(primary.primaryIp());
            case META + "mac" -> Optional.of(primary.macAddress());
            case MACS, META + "network/interfaces/macs" ->
                    Optional.of(visible(instance).stream().map(e -> e.macAddress() + "/").collect(Collectors.joining("\n")));
            case "/latest/dynamic/instance-identity/document" -> Optional.of(identityDocument(instance));
            default -> path.startsWith(MACS) ? perMac(instance, path.substring(MACS.length())) : Optional.empty();
        };
    }

    private Optional<String> perMac(Instance instance, String rest) {
        int slash = rest.indexOf('/');
        String mac = slash < 0 ? rest : rest.substring(0, slash);
        String key = slash < 0 ? "" : rest.substring(slash + 1);
        var eni = visible(instance).stream().filter(e -> e.macAddress().equals(mac)).findFirst();
        if (eni.isEmpty()) return Optional.empty();
        var e = eni.get();
        var subnet = account.subnet(e.subnetId());
        return switch (key) {
            case "" -> Optional.of(String.join("\n", MAC_KEYS));
            case "device-number" -> Optional.of(Integer.toString(e.attachment().orElseThrow().deviceIndex()));
            case "network-card" -> Optional.of(Integer.toString(e.attachment().orElseThrow().networkCardIndex()));
            case "interface-id" -> Optional.of(e.id());
            case "mac" -> Optional.of(e.macAddress());
            case "owner-id" -> Optional.of(e.ownerId());
            case "subnet-id" -> Optional.of(e.subnetId());
            case "vpc-id" -> Optional.of(e.vpcId());
            case "subnet-ipv4-cidr-block" -> Optional.of(subnet.cidr().toString());
            case "vpc-ipv4-cidr-blocks" -> Optional.of(account.vpcCidrs().stream().map(Cidr::toString).collect(Collectors.joining("\n")));
            case "security-group-ids" -> Optional.of(String.join("\n", e.securityGroupIds()));
            case "local-ipv4s" -> Optional.of(String.join("\n", e.allIps()));
            case "ipv4-prefix" -> e.prefixes().isEmpty() ? Optional.empty() : Optional.of(String.join("\n", e.prefixes()));
            default -> Optional.empty();
        };
    }

    private List<NetworkInterface> visible(Instance instance) {
        var now = clock.instant();
        return instance.networkInterfaces().stream()
                .filter(e -> {
                    var a = e.attachment().orElseThrow();
                    return a.deviceIndex() == 0 || !now.isBefore(a.attachTime().plus(newEniDelay));
                })
                .toList();
    }

    private String identityDocument(Instance instance) {
        return "{\"accountId\":\"" + account.accountId() + "\",\"availabilityZone\":\"" + instance.availabilityZone()
                + "\",\"instanceId\":\"" + instance.id() + "\",\"instanceType\":\"" + instance.type().name()
                + "\",\"privateIp\":\"" + instance.primaryInterface().primaryIp() + "\",\"region\":\"" + region(instance) + "\"}";
    }

    /** us-west-2a → us-west-2: simulated zones are named like real ones. */
    private static String region(Instance instance) {
        String az = instance.availabilityZone();
        return Character.isLetter(az.charAt(az.length() - 1)) ? az.substring(0, az.length() - 1) : az;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) exchange.getResponseBody().write(bytes);
    }
}
