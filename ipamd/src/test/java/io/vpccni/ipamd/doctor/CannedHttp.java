package io.vpccni.ipamd.doctor;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * A JDK HTTP server on 127.0.0.1 answering canned bodies by method and path ("GET /v1/pods"), standing in for the
 * daemon's introspection or IMDS. A path set to {@link #HANG} never answers until the server closes.
 */
final class CannedHttp implements AutoCloseable {
    static final String HANG = "\u0000hang";

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    record Answer(int status, String body) {
    }

    CannedHttp() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                var answer = answers.get(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
                if (answer != null && answer.body().equals(HANG)) {
                    closing.await();
                    return;
                }
                if (answer == null) {
                    answer = new Answer(404, "404 page not found");
                }
                var bytes = answer.body().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
                exchange.getResponseBody().write(bytes);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    CannedHttp answer(String request, int status, String body) {
        answers.put(request, new Answer(status, body));
        return this;
    }

    CannedHttp answer(String request, String body) {
        return answer(request, 200, body);
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    String bindAddress() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
    }
}
