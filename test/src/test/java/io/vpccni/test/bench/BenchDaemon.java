package io.vpccni.test.bench;

import io.vpccni.ipamd.testing.TestDaemon;

import java.nio.file.Path;

/**
 * The daemon's real gRPC server over an in-memory pool of 4,094 addresses and no kernel wiring, for
 * benchmarks of the plugin process itself (test/bench/plugin-bench.py). Runs until killed.
 */
public final class BenchDaemon {
    private BenchDaemon() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: BenchDaemon <socket path>");
            System.exit(2);
        }
        var addresses = new String[4094];
        for (var i = 0; i < addresses.length; i++) {
            addresses[i] = "10.0." + ((i + 1) >> 8) + "." + ((i + 1) & 0xff);
        }
        try (var daemon = new TestDaemon(Path.of(args[0]), addresses)) {
            System.out.println("bench daemon serving on " + daemon.server.socket());
            daemon.server.awaitTermination();
        }
    }
}
