package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.k8s.ClusterEvents;
import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.pool.EniInfo;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.util.ArrayList;
import java.util.Map;

/**
 * How long one pass of the node reconcile takes against the simulated cloud through the real SDK and IMDS clients
 * (loopback HTTP): a pass where IMDS matches the pool (IMDS only), and a pass after an address was unassigned behind
 * the daemon's back (IMDS, then one DescribeNetworkInterfaces, then the pool corrected). A measurement, not a test:
 * {@code ./mvnw -B -o -pl simcloud,ipamd -am test-compile} then run {@code main} with the test classpath
 * (BENCHMARKS.md has the command).
 */
public final class ReconcileLatencyBench {
    private ReconcileLatencyBench() {
    }

    public static void main(String[] args) throws Exception {
        var rounds = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        try (var node = new SimulatedCloudNode("m5.large", "10.0.1.0/24").start(Map.of("WARM_IP_TARGET", "5"))) {
            node.settle();
            var handler = new NewEniHandler() {
                @Override
                public boolean setUp(EniInfo eni, String primaryIp, IpPrefix subnet) {
                    return true;
                }

                @Override
                public void tearDown(EniInfo eni) {
                }
            };
            var reconciler = new NodeReconciler(node.datastore, node.imds, node.ec2, node.instanceId, handler, ClusterEvents.LOG,
                    new SimpleMeterRegistry(), node.clock);
            for (var i = 0; i < 20; i++) {  // warm the JIT and the HTTP connections
                reconciler.reconcileOnce();
            }
            var steady = new ArrayList<Long>();
            var changed = new ArrayList<Long>();
            var calls = 0;
            for (var i = 0; i < rounds; i++) {
                var t = System.nanoTime();
                calls += reconciler.reconcileOnce().ec2Calls();
                steady.add(System.nanoTime() - t);
            }
            var ec2CallsWhenSteady = calls;
            calls = 0;
            for (var i = 0; i < rounds; i++) {
                var eni = node.attachedInEc2().getLast();
                var ip = eni.secondaryIps().getLast();
                node.account.operator().unassignIp(eni.id(), ip);
                node.clock.advance(java.time.Duration.ofMinutes(2));  // past the cooldown of the daemon's own changes
                var t = System.nanoTime();
                var report = reconciler.reconcileOnce();
                changed.add(System.nanoTime() - t);
                calls += report.ec2Calls();
                if (report.changes().dropped().isEmpty()) {
                    throw new IllegalStateException("round " + i + ": " + ip + " unassigned behind the daemon's back was not dropped: "
                            + report);
                }
                node.account.operator().assignIp(eni.id(), ip);  // back, for the next round (and the next pass adds it)
                reconciler.reconcileOnce();
            }
            System.out.printf("node reconcile, %d passes each (ms): IMDS matches the pool: median %.2f p90 %.2f, %d EC2 calls%n",
                    rounds, ms(steady, 50), ms(steady, 90), ec2CallsWhenSteady);
            System.out.printf("  one address unassigned behind the daemon's back: median %.2f p90 %.2f, %.1f EC2 calls per pass%n",
                    ms(changed, 50), ms(changed, 90), (double) calls / rounds);
        }
    }

    private static double ms(java.util.List<Long> nanos, int percentile) {
        var sorted = nanos.stream().sorted().toList();
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * percentile / 100)) / 1e6;
    }
}
