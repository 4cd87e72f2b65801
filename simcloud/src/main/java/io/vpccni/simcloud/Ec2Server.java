package io.vpccni.simcloud;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The EC2 Query endpoint: {@code POST /} with a form body. The SigV4 signature is not verified, but the access key
 * in the {@code Authorization} header selects the account, so several accounts can share one server.
 * Each request is served on its own virtual thread, so an injected hang stalls only that request.
 */
public final class Ec2Server implements AutoCloseable {

    /** One account as the API sees it: its state, its throttling, its injected faults and its counters. */
    public record AccountEndpoint(SimulatedAccount account, RequestThrottler throttler, FaultPlan faults, ApiCounters counters) {}

    private final HttpServer http;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final InstantSource clock;
    private final Map<String, AccountEndpoint> byAccessKey = new ConcurrentHashMap<>();
    private final Map<String, AccountEndpoint> byAccountId = new ConcurrentHashMap<>();

    private Ec2Server(HttpServer http, InstantSource clock) {
        this.http = http;
        this.clock = clock;
    }

    /** Starts on 127.0.0.1 and an ephemeral port; {@code clock} drives token-bucket refill. */
    public static Ec2Server start(InstantSource clock) throws IOException {
        return start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), clock);
    }

    public static Ec2Server start(InetSocketAddress address, InstantSource clock) throws IOException {
        var server = new Ec2Server(HttpServer.create(address, 0), clock);
        server.http.createContext("/", server::serve);
        server.http.setExecutor(server.executor);
        server.http.start();
        return server;
    }

    /** Makes {@code account} answer requests signed with {@code accessKey}; keys of one account share its buckets. */
    public AccountEndpoint register(String accessKey, SimulatedAccount account) {
        var endpoint = byAccountId.computeIfAbsent(account.accountId(), id -> new AccountEndpoint(account,
                new RequestThrottler(ThrottlePolicy.defaults(), clock), new FaultPlan(), new ApiCounters()));
        if (endpoint.account() != account) {
            throw new IllegalArgumentException("account id " + account.accountId() + " is already registered with other state");
        }
        byAccessKey.put(accessKey, endpoint);
        return endpoint;
    }

    public AccountEndpoint endpoint(String accessKey) {
        var endpoint = byAccessKey.get(accessKey);
        if (endpoint == null) throw new IllegalArgumentException("no account registered for access key " + accessKey);
        return endpoint;
    }

    /** The URL to give the SDK as {@code endpointOverride} (or to {@code AWS_EC2_ENDPOINT}). */
    public URI uri() {
        return URI.create("http://" + http.getAddress().getHostString() + ":" + http.getAddress().getPort() + "/");
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }

    private void serve(HttpExchange exchange) throws IOException {
        String requestId = UUID.randomUUID().toString();
        String action = "";
        AccountEndpoint endpoint = null;
        try (exchange) {
            try {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                if (exchange.getRequestMethod().equals("GET")) body = exchange.getRequestURI().getRawQuery();
                else if (!exchange.getRequestMethod().equals("POST")) {
                    throw new Ec2Error("InvalidHttpRequest", "EC2 accepts POST / with a form body; got " + exchange.getRequestMethod());
                }
                var query = QueryRequest.parse(body);
                action = query.action();
                endpoint = authenticate(exchange.getRequestHeaders().getFirst("Authorization"));
                endpoint.counters().recordCall(action);
                String xml = dispatch(endpoint, query, requestId);
                send(exchange, 200, xml);
            } catch (Ec2Error e) {
                if (endpoint != null) {
                    endpoint.counters().recordError(action);
                    if (e.code().equals("RequestLimitExceeded")) endpoint.counters().recordThrottled(action);
                }
                send(exchange, e.httpStatus(), Ec2Responses.error(e.code(), e.getMessage(), requestId));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                if (endpoint != null) endpoint.counters().recordError(action);
                send(exchange, 500, Ec2Responses.error("InternalError", "Simulator failure in " + action + ": " + e, requestId));
            }
        }
    }

    /** Order matters: latency and hangs happen before throttling, as slow networks delay requests before EC2 sees them. */
    private static String dispatch(AccountEndpoint endpoint, QueryRequest query, String requestId) throws InterruptedException {
        String action = query.action();
        if (action.isEmpty()) throw new Ec2Error("MissingAction", "The request must contain the parameter Action");
        var faults = endpoint.faults();
        sleep(faults.latencyFor(action));
        var hang = faults.takeHang(action);
        if (hang.isPresent()) sleep(hang.get());
        if (Ec2Actions.SUPPORTED.contains(action) && !endpoint.throttler().tryAcquire(ThrottlePolicy.bucketKey(query))) {
            throw new Ec2Error("RequestLimitExceeded", "Request limit exceeded.", 503);
        }
        var injected = faults.takeError(action);
        if (injected.isPresent()) throw injected.get();
        return Ec2Actions.handle(query, endpoint.account(), requestId);
    }

    private AccountEndpoint authenticate(String authorization) {
        var key = QueryRequest.accessKeyOf(authorization).orElseThrow(() -> new Ec2Error("MissingAuthenticationToken",
                "Request is missing Authentication Token (no SigV4 Credential= in the Authorization header)", 401));
        var endpoint = byAccessKey.get(key);
        if (endpoint == null) {
            throw new Ec2Error("AuthFailure", "AWS was not able to validate the provided access credentials (unknown access key "
                    + key + ")", 401);
        }
        return endpoint;
    }

    private static void sleep(Duration d) throws InterruptedException {
        if (!d.isZero() && !d.isNegative()) Thread.sleep(d);
    }

    private static void send(HttpExchange exchange, int status, String xml) throws IOException {
        byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/xml;charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
