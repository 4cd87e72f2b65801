package io.vpccni.test.bench;

import io.vpccni.ipamd.testing.Ip;
import io.vpccni.test.node.SimulatedNode;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The simulated cloud of one node for test/bench/node-bench.py: a {@link SimulatedNode} (EC2, IMDS, ENIs as veths in
 * the calling process's network namespace), kept up until its stdin closes. It prints one line, the environment
 * that points a real aws-k8s-agent at it, as tab-separated {@code NAME=value} pairs, so that the harness can start,
 * stop and time the daemon itself (and take its CPU from wait4 and /proc, which a JVM cannot).
 *
 * <p>usage: NodeBenchCloud instance-type work-dir
 */
public final class NodeBenchCloud {
    private NodeBenchCloud() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: NodeBenchCloud <instance type> <work dir>");
            System.exit(2);
        }
        var work = Path.of(args[1]);
        var vpcNs = "vpc-" + work.getFileName();
        Ip.run("netns", "add", vpcNs);
        try (var node = new SimulatedNode(args[0], "10.0.1.0/24", Path.of("/run/netns/" + vpcNs), InstantSource.system())) {
            Map<String, String> env = node.daemonEnv(work.resolve("ipamd.sock"), work.resolve("ipam.json"));
            System.out.println(env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\t")));
            System.out.flush();
            while (System.in.read() >= 0) {
                // the harness holds stdin open for as long as the node is needed
            }
        } finally {
            Ip.quietly("netns", "del", vpcNs);
        }
    }
}
