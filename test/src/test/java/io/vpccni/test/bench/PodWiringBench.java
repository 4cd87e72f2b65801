package io.vpccni.test.bench;

import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.net.NetNs;
import io.vpccni.ipamd.net.RtNetlink;
import io.vpccni.ipamd.pod.KernelPodWiring;
import io.vpccni.ipamd.pod.LinkReaper;
import io.vpccni.ipamd.pod.NetworkSettings;
import io.vpccni.ipamd.pod.PodNetworkRequest;
import io.vpccni.ipamd.pool.Allocation;
import io.vpccni.ipamd.pool.AttachmentKey;
import io.vpccni.ipamd.pool.PodIdentity;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;

/**
 * Daemon-side wiring of one pod, set up and torn down, timed in-process over N pods (after a warm-up).
 * Must run as root inside a private network namespace: test/bench/wiring-bench.sh arranges both.
 */
public final class PodWiringBench {
    private PodWiringBench() {
    }

    public static void main(String[] args) throws Exception {
        var pods = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        var warmup = 50;
        try (var host = RtNetlink.open(); var hostNs = NetNs.current(); var reaper = new LinkReaper(RtNetlink.open())) {
            var wiring = new KernelPodWiring(host, hostNs, RtNetlink::openIn, reaper, "eni", new io.vpccni.ipamd.owned.OwnershipRegistry());
            var setUp = new long[pods];
            var tearDown = new long[pods];
            for (var i = -warmup; i < pods; i++) {
                var ns = "bench-" + (i + warmup);
                run("ip", "netns", "add", ns);
                var r = new PodNetworkRequest(new AttachmentKey("aws-cni", "c" + i, "eth0"),
                        new PodIdentity("bench", "pod-" + (i + warmup), "", ""), "/run/netns/" + ns, NetworkSettings.defaults(), null);
                var ip = 10 * 256 * 256 + (i + warmup + 1);
                var a = new Allocation(r.key(), r.pod(), IpPrefix.ipv4("10." + (ip >> 16 & 255) + "." + (ip >> 8 & 255) + "." + (ip & 255)), 1, 2);
                var t0 = System.nanoTime();
                wiring.setUp(r, a);
                var t1 = System.nanoTime();
                wiring.tearDown(r, a);
                var t2 = System.nanoTime();
                if (i >= 0) {
                    setUp[i] = t1 - t0;
                    tearDown[i] = t2 - t1;
                }
                run("ip", "netns", "del", ns);
            }
            var drained = System.nanoTime();
            reaper.awaitIdle();
            System.err.printf("veth deletions drained %.0f ms after the last teardown%n", (System.nanoTime() - drained) / 1e6);
            report("setup", setUp);
            report("teardown", tearDown);
        }
    }

    private static void report(String what, long[] nanos) {
        var sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("| %s | %d | %.2f | %.2f | %.2f |%n", what, sorted.length, sorted[sorted.length / 2] / 1e6,
                sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6, sorted[sorted.length - 1] / 1e6);
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        var p = new ProcessBuilder(new ArrayList<>(Arrays.asList(cmd))).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed");
        }
    }
}
