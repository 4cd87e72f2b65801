package io.vpccni.test.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * busybox httpd serving the whoami CGI ({@link BusyboxImage#www()}) outside any container: on the node itself, or
 * in another network namespace. A client learns from the answer which source address reached the server.
 */
final class WhoamiServer implements AutoCloseable {
    private final List<String> nsPrefix;
    private final String url;
    private final Process process;
    private final Path log;

    private WhoamiServer(List<String> nsPrefix, String url, Process process, Path log) {
        this.nsPrefix = nsPrefix;
        this.url = url;
        this.process = process;
        this.log = log;
    }

    /** @param netns the namespace to serve in, or null for the caller's */
    static WhoamiServer start(String netns, String address, int port) throws InterruptedException {
        var prefix = netns == null ? List.<String>of() : List.of("ip", "netns", "exec", netns);
        var argv = new ArrayList<>(prefix);
        argv.addAll(List.of("busybox", "httpd", "-f", "-p", address + ":" + port, "-h", BusyboxImage.www().toString()));
        try {
            var log = Files.createTempFile("whoami", ".log");
            var process = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            var server = new WhoamiServer(prefix, "http://" + address + ":" + port + "/cgi-bin/whoami", process, log);
            server.awaitServing();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url() {
        return url;
    }

    /**
     * busybox wget of {@code url} under a 10 s timeout (generous: a 2-core CI machine runs everything at once),
     * from a shell outside containers (busybox prefix) or inside one (applets). Not wget's own -T: Debian's
     * busybox-static 1.35 crashes with it after a successful fetch.
     */
    static List<String> fetch(String url, boolean inContainer) {
        return inContainer ? List.of("timeout", "10", "wget", "-q", "-O", "-", url)
                : List.of("busybox", "timeout", "10", "busybox", "wget", "-q", "-O", "-", url);
    }

    private void awaitServing() throws InterruptedException {
        var deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        var argv = new ArrayList<>(nsPrefix);
        argv.addAll(fetch(url, false));
        while (true) {
            var result = Command.of(argv).run();
            if (result.ok()) {
                return;
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("whoami server at " + url + " not serving: " + result.output() + "; httpd "
                        + (process.isAlive() ? "running" : "exited " + process.exitValue()) + ": " + readLog());
            }
            Thread.sleep(50);  // a poll interval; the answer decides
        }
    }

    private String readLog() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(5, TimeUnit.SECONDS);
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temp file
        }
    }
}
