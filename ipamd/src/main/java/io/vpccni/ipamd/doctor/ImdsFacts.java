package io.vpccni.ipamd.doctor;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * Whether IMDSv2 answers here: a PUT for a session token, as every SDK starts, bounded by 2 s; with a token, the
 * instance type (for the pool's ceiling).
 *
 * @param httpStatus   the token PUT's status, 0 when there was no answer
 * @param instanceType "" when not learned
 */
public record ImdsFacts(URI endpoint, Outcome outcome, int httpStatus, long millis, String detail, String instanceType) {
    public enum Outcome { TOKEN, HTTP_ERROR, TIMEOUT, REFUSED, ERROR }

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    static ImdsFacts probe(URI endpoint) {
        return probe(endpoint, DEFAULT_TIMEOUT);
    }

    static ImdsFacts probe(URI endpoint, Duration timeout) {
        var token = endpoint.resolve("/latest/api/token");
        var started = System.nanoTime();
        try (var http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build()) {
            var response = http.send(HttpRequest.newBuilder(token).timeout(timeout)
                    .header("X-aws-ec2-metadata-token-ttl-seconds", "60")
                    .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            var millis = elapsed(started);
            if (response.statusCode() != 200) {
                return new ImdsFacts(endpoint, Outcome.HTTP_ERROR, response.statusCode(), millis,
                        "PUT " + token + " answered HTTP " + response.statusCode() + " in " + millis + " ms", "");
            }
            return new ImdsFacts(endpoint, Outcome.TOKEN, 200, millis, "PUT " + token + " answered a token in " + millis + " ms",
                    instanceType(http, endpoint, response.body(), timeout));
        } catch (HttpConnectTimeoutException e) {
            return new ImdsFacts(endpoint, Outcome.TIMEOUT, 0, elapsed(started), "PUT " + token + ": no connection within "
                    + timeout.toMillis() + " ms", "");
        } catch (HttpTimeoutException e) {
            return new ImdsFacts(endpoint, Outcome.TIMEOUT, 0, elapsed(started), "PUT " + token + ": connected, but no answer within "
                    + timeout.toMillis() + " ms", "");
        } catch (ConnectException e) {
            return new ImdsFacts(endpoint, Outcome.REFUSED, 0, elapsed(started), "PUT " + token + ": connection refused or no route"
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"), "");
        } catch (IOException e) {
            return new ImdsFacts(endpoint, Outcome.ERROR, 0, elapsed(started), "PUT " + token + " failed: " + e, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ImdsFacts(endpoint, Outcome.ERROR, 0, elapsed(started), "PUT " + token + " was interrupted", "");
        }
    }

    private static String instanceType(HttpClient http, URI endpoint, String token, Duration timeout) {
        try {
            var response = http.send(HttpRequest.newBuilder(endpoint.resolve("/latest/meta-data/instance-type")).timeout(timeout)
                    .header("X-aws-ec2-metadata-token", token).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body().strip() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static long elapsed(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
