package io.vpccni.cni;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;

/**
 * A stand-in for many plugin processes, run as a child JVM by {@link RotatingLogFileTest}: prints "ready", waits
 * for a line on stdin so that all children start writing together, then appends numbered lines from several
 * threads through {@link RotatingLogFile} with a tiny size.
 * Arguments: file, writer name, threads, lines per thread, size in bytes, backups.
 */
public final class LogWriters {
    private LogWriters() {
    }

    public static void main(String[] args) throws Exception {
        var file = args[0];
        var name = args[1];
        int threads = Integer.parseInt(args[2]), lines = Integer.parseInt(args[3]);
        var log = new RotatingLogFile(file, Long.parseLong(args[4]), Integer.parseInt(args[5]), 0);
        System.out.println("ready");
        System.out.flush();
        System.in.read();
        var failures = new ArrayList<Throwable>();
        var workers = new ArrayList<Thread>();
        for (var t = 0; t < threads; t++) {
            var writer = name + "-t" + t;
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    for (var n = 0; n < lines; n++) {
                        log.append(("{\"writer\":\"" + writer + "\",\"n\":" + n + "}\n").getBytes(StandardCharsets.UTF_8));
                    }
                } catch (IOException | RuntimeException e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }));
        }
        for (var worker : workers) {
            worker.join();
        }
        if (!failures.isEmpty()) {
            failures.getFirst().printStackTrace();
            System.exit(1);
        }
    }
}
