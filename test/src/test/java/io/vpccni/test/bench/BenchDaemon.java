package io.vpccni.test.bench;

import io.vpccni.ipamd.net.NetNs;
import io.vpccni.ipamd.net.RtNetlink;
import io.vpccni.ipamd.pod.KernelPodWiring;
import io.vpccni.ipamd.pod.LinkReaper;
import io.vpccni.ipamd.testing.TestDaemon;

import java.nio.file.Path;

/**
 * The daemon's real gRPC server and real pod wiring over an in-memory pool of 4,094 addresses, for
 * benchmarks of the plugin process (test/bench/plugin-bench.py, which runs it as root inside a private
 * network namespace). Runs until killed.
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
        try (var hostNs = NetNs.current(); var host = RtNetlink.open(); var reaper = new LinkReaper(RtNetlink.open());
             var daemon = new TestDaemon(Path.of(args[0]), new KernelPodWiring(host, hostNs, RtNetlink::openIn, reaper, "eni", new io.vpccni.ipamd.owned.OwnershipRegistry()),
                     addresses)) {
            System.out.println("bench daemon serving on " + daemon.server.socket());
            daemon.server.awaitTermination();
        }
    }
}
