package io.vpccni.ipamd.doctor;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** The daemon's introspection server over HTTP: {@code /v1/pods} and {@code /v1/guard}, each bounded by a timeout. */
final class IntrospectionClient implements AutoCloseable {
    private final URI base;
    private final Duration timeout;
    private final HttpClient http;

    /** @param base e.g. http://127.0.0.1:61679 */
    IntrospectionClient(URI base, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    /**
     * The URL the daemon's {@code INTROSPECTION_BIND_ADDRESS} ("host:port", ":port") is reached at: an address bound
     * on every interface is reached on loopback.
     */
    /** Where to reach a server bound to {@code bound}: on loopback when it listens on every address. */
    static URI baseOf(InetSocketAddress bound) {
        var address = bound.getAddress();
        if (address.isAnyLocalAddress()) {
            address = InetAddress.getLoopbackAddress();
        }
        var host = address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        return URI.create("http://" + host + ":" + bound.getPort());
    }

    Answer<PodsView> pods() {
        return get("/v1/pods", IntrospectionJson::pods);
    }

    Answer<GuardView> guard() {
        return get("/v1/guard", IntrospectionJson::guard);
    }

    private interface Parser<T> {
        T parse(String body) throws IntrospectionJson.Unexpected;
    }

    private <T> Answer<T> get(String path, Parser<T> parser) {
        var uri = base.resolve(path);
        try {
            var response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Answer.failed("GET " + uri + " answered HTTP " + response.statusCode() + ": "
                        + abbreviate(response.body()));
            }
            return Answer.got(parser.parse(response.body()));
        } catch (IntrospectionJson.Unexpected e) {
            return Answer.failed("GET " + uri + " answered something other than the introspection JSON (" + e.getMessage() + ")");
        } catch (HttpTimeoutException e) {
            return Answer.failed("GET " + uri + " got no answer within " + timeout.toMillis() + " ms");
        } catch (ConnectException e) {
            return Answer.failed("GET " + uri + ": connection refused (nothing listens there)");
        } catch (IOException e) {
            return Answer.failed("GET " + uri + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.failed("GET " + uri + " was interrupted");
        }
    }

    private static String abbreviate(String body) {
        var oneLine = body.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
    }

    @Override
    public void close() {
        http.close();
    }
}
