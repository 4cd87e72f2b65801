package io.vpccni.ipamd.cloud;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@link InstanceMetadata} over IMDSv2 with the JDK HTTP client: a session token from
 * {@code PUT /latest/api/token}, then GETs carrying it. The token is renewed a minute before it expires, and once
 * more if IMDS answers 401 (it restarted, or the clock jumped).
 */
public final class ImdsClient implements InstanceMetadata, AutoCloseable {
    public static final URI DEFAULT_ENDPOINT = URI.create("http://169.254.169.254");
    static final String TOKEN_PATH = "/latest/api/token";
    static final String TTL_HEADER = "X-aws-ec2-metadata-token-ttl-seconds";
    static final String TOKEN_HEADER = "X-aws-ec2-metadata-token";
    private static final Duration TOKEN_TTL = Duration.ofHours(6);
    private static final Duration RENEW_BEFORE = Duration.ofMinutes(1);

    private final URI base;
    private final Duration timeout;
    private final InstantSource clock;
    private final HttpClient http;
    private String token;
    private Instant tokenExpires = Instant.EPOCH;
    private volatile AwsApiMetrics metrics;

    /** IMDS at its link-local address, 2 s per request. */
    public ImdsClient() {
        this(DEFAULT_ENDPOINT, Duration.ofSeconds(2), InstantSource.system());
    }

    private static final java.util.concurrent.Executor IO = task -> Thread.ofVirtual().name("imds-http").start(task);

    /** @param base the IMDS root, e.g. {@code http://169.254.169.254} or a simulator's address */
    public ImdsClient(URI base, Duration timeout, InstantSource clock) {
        var s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        this.timeout = timeout;
        this.clock = clock;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(IO)  // the client's own default is a pool of platform threads that idle a minute after each burst
                .build();
    }

    /** Counts and times every read from now on. */
    public ImdsClient observedBy(AwsApiMetrics metrics) {
        this.metrics = metrics;
        return this;
    }

    @Override
    public String instanceId() throws MetadataException {
        return required("instance-id");
    }

    @Override
    public String instanceType() throws MetadataException {
        return required("instance-type");
    }

    @Override
    public String availabilityZone() throws MetadataException {
        return required("placement/availability-zone");
    }

    @Override
    public String localIpv4() throws MetadataException {
        return required("local-ipv4");
    }

    @Override
    public String primaryMac() throws MetadataException {
        return required("mac").toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public List<String> macs() throws MetadataException {
        return lines(required("network/interfaces/macs/")).stream()
                .map(m -> m.endsWith("/") ? m.substring(0, m.length() - 1) : m)
                .map(m -> m.toLowerCase(java.util.Locale.ROOT))
                .toList();
    }

    @Override
    public String interfaceId(String mac) throws MetadataException {
        return required(perMac(mac, "interface-id"));
    }

    @Override
    public int deviceNumber(String mac) throws MetadataException {
        var path = perMac(mac, "device-number");
        return integer(path, required(path));
    }

    @Override
    public int networkCard(String mac) throws MetadataException {
        var path = perMac(mac, "network-card");
        var value = optional(path);
        return value.isEmpty() ? 0 : integer(path, value.get());
    }

    @Override
    public String subnetId(String mac) throws MetadataException {
        return required(perMac(mac, "subnet-id"));
    }

    @Override
    public String vpcId(String mac) throws MetadataException {
        return required(perMac(mac, "vpc-id"));
    }

    @Override
    public String subnetIpv4CidrBlock(String mac) throws MetadataException {
        return required(perMac(mac, "subnet-ipv4-cidr-block"));
    }

    @Override
    public List<String> vpcIpv4CidrBlocks(String mac) throws MetadataException {
        return lines(required(perMac(mac, "vpc-ipv4-cidr-blocks")));
    }

    @Override
    public List<String> securityGroupIds(String mac) throws MetadataException {
        return lines(required(perMac(mac, "security-group-ids")));
    }

    @Override
    public List<String> localIpv4s(String mac) throws MetadataException {
        return lines(required(perMac(mac, "local-ipv4s")));
    }

    @Override
    public List<String> ipv4Prefixes(String mac) throws MetadataException {
        return optional(perMac(mac, "ipv4-prefix")).map(ImdsClient::lines).orElse(List.of());
    }

    @Override
    public void close() {
        http.close();
    }

    private static String perMac(String mac, String leaf) {
        return "network/interfaces/macs/" + mac + "/" + leaf;
    }

    private static List<String> lines(String body) {
        return Arrays.stream(body.split("\n")).map(String::trim).filter(l -> !l.isEmpty()).toList();
    }

    private static int integer(String path, String value) throws MetadataException {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new MetadataException(path, 200, "IMDS path " + path + " returned '" + value
                    + "', not a number", e);
        }
    }

    private String required(String path) throws MetadataException {
        return optional(path).orElseThrow(() -> new MetadataException(path, 404, "IMDS path " + path
                + " is not found (404); the instance may be too old for it, or the ENI was just detached", null));
    }

    /** The body of {@code /latest/meta-data/<path>}, or empty on 404. */
    synchronized Optional<String> optional(String path) throws MetadataException {
        var resp = get(path, token());
        if (resp.statusCode() == 401) {
            // The token was rejected before its time: take a fresh one, once.
            token = null;
            resp = get(path, token());
        }
        return switch (resp.statusCode()) {
            case 200 -> Optional.of(resp.body());
            case 404 -> Optional.empty();
            default -> throw new MetadataException(path, resp.statusCode(), "IMDS path " + path + " answered HTTP "
                    + resp.statusCode() + (resp.statusCode() == 401 ? " even with a fresh token" : "")
                    + "; check that the instance metadata service is enabled", null);
        };
    }

    private HttpResponse<String> get(String path, String sessionToken) throws MetadataException {
        var request = HttpRequest.newBuilder(base.resolve("/latest/meta-data/" + path)).timeout(timeout)
                .header(TOKEN_HEADER, sessionToken).GET().build();
        return send(path, request);
    }

    private String token() throws MetadataException {
        var now = clock.instant();
        if (token != null && now.isBefore(tokenExpires.minus(RENEW_BEFORE))) {
            return token;
        }
        var request = HttpRequest.newBuilder(base.resolve(TOKEN_PATH)).timeout(timeout)
                .header(TTL_HEADER, Long.toString(TOKEN_TTL.toSeconds()))
                .PUT(HttpRequest.BodyPublishers.noBody()).build();
        var resp = send("api/token", request);
        if (resp.statusCode() != 200 || resp.body().isBlank()) {
            throw new MetadataException("api/token", resp.statusCode(), "IMDS refused a session token at "
                    + TOKEN_PATH + " (HTTP " + resp.statusCode() + "); IMDSv2 must be enabled on the instance", null);
        }
        token = resp.body().trim();
        tokenExpires = now.plus(TOKEN_TTL);
        return token;
    }

    private HttpResponse<String> send(String path, HttpRequest request) throws MetadataException {
        var started = System.nanoTime();
        try {
            var response = http.send(request, HttpResponse.BodyHandlers.ofString());
            observed(response.statusCode(), null, started);
            return response;
        } catch (IOException e) {
            observed(0, e.getClass().getSimpleName(), started);
            throw failure(path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MetadataException(path, 0, "interrupted while reading IMDS path " + path, e);
        }
    }

    private void observed(int status, String error, long started) {
        var m = metrics;
        if (m != null) {
            m.metadataRead(status, error, System.nanoTime() - started);
        }
    }

    private MetadataException failure(String path, IOException cause) {
        if (cause instanceof HttpTimeoutException) {
            return new MetadataException(path, 0, "IMDS path " + path + " timed out after " + timeout.toMillis()
                    + " ms at " + base + "; check that IMDS is reachable (hop limit, network policy)", cause);
        }
        // A refused connection's exception has no message: its class is what says what happened.
        var why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new MetadataException(path, 0, "IMDS path " + path + " could not be read from " + base + ": " + why, cause);
    }
}
