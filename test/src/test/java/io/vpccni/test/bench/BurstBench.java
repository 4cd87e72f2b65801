package io.vpccni.test.bench;

import io.vpccni.ipamd.policy.InstanceLimitsTable;
import io.vpccni.ipamd.pool.AttachmentKey;
import io.vpccni.ipamd.pool.PodIdentity;
import io.vpccni.ipamd.pool.PoolException;
import io.vpccni.simcloud.ApiCounters;
import io.vpccni.simcloud.Ec2Server;
import io.vpccni.simcloud.NetworkInterface;
import io.vpccni.simcloud.SimulatedAccount;
import io.vpccni.simcloud.ThrottlePolicy;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The EC2-throttling burst experiment: N simulated nodes in one account with the simulator's default token
 * buckets, P pods arriving on each node at once, the pool of every node grown in the background by the real
 * reconcile loop, ENI lifecycle and SDK client. Reports the time until every pod has an address, EC2 requests
 * and throttled requests per action, the lower bound the buckets imply for the strictly necessary calls, and
 * an audit: no ENI leaked, every attached ENI tracked by its node, every pod address distinct and on its node.
 *
 * <p>Not a test: run it with {@code test/bench/burst-bench.sh [--nodes N] [--pods-per-node P] ...}.
 */
public final class BurstBench {
    static final String ACCESS_KEY = "AKIABURSTBENCH000000";
    static final String SECRET_KEY = "burst-bench-secret";
    static final String REGION = "us-west-2";
    static final String NETWORK = "aws-cni";

    record Options(int nodes, int podsPerNode, String instanceType, int warmEniTarget, int arrivalThreads,
                   Duration interval, Duration timeout, int discoveryThreads) {
        static Options parse(String[] args) {
            var o = new LinkedHashMap<String, String>(Map.of("--nodes", "500", "--pods-per-node", "46",
                    "--instance-type", "m5.xlarge", "--warm-eni-target", "1", "--arrival-threads", "4",
                    "--interval-ms", "2500", "--timeout-s", "900", "--discovery-threads", "8"));
            for (int i = 0; i < args.length; i++) {
                if (!o.containsKey(args[i]) || i + 1 >= args.length) {
                    System.err.println("usage: BurstBench " + o.keySet().stream().map(k -> "[" + k + " " + o.get(k) + "]").toList());
                    System.exit(2);
                }
                o.put(args[i], args[++i]);
            }
            return new Options(Integer.parseInt(o.get("--nodes")), Integer.parseInt(o.get("--pods-per-node")),
                    o.get("--instance-type"), Integer.parseInt(o.get("--warm-eni-target")),
                    Integer.parseInt(o.get("--arrival-threads")), Duration.ofMillis(Long.parseLong(o.get("--interval-ms"))),
                    Duration.ofSeconds(Long.parseLong(o.get("--timeout-s"))), Integer.parseInt(o.get("--discovery-threads")));
        }
    }

    /** One pod's ADD, retried like kubelet retries a sandbox whose CNI ADD said "try again later". */
    private static final class PodAdd implements Delayed {
        final BurstNode node;
        final int pod;
        int attempts;
        long dueNanos;

        PodAdd(BurstNode node, int pod, long dueNanos) {
            this.node = node;
            this.pod = pod;
            this.dueNanos = dueNanos;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(dueNanos, ((PodAdd) other).dueNanos);
        }

        /** 100 ms, doubling to 1 s, ±20 %: kubelet-like, and fine-grained enough not to hide the pool's growth. */
        long retryDelayNanos() {
            long ms = Math.min(1000, 100L << Math.min(attempts - 1, 4));
            return (long) (ms * 1_000_000 * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
        }
    }

    public static void main(String[] args) throws Exception {
        // Each node is its own process in reality, with its own keep-alive connection to EC2: keep one per node
        // here too, instead of the JDK's 5 per destination (a fresh TCP connection per request runs the
        // loopback out of ephemeral ports within minutes at these request rates).
        System.setProperty("http.maxConnections", System.getProperty("http.maxConnections", "2000"));
        System.setProperty("sun.net.httpserver.maxIdleConnections", System.getProperty("sun.net.httpserver.maxIdleConnections", "2000"));
        var opt = Options.parse(args);
        var env = Map.of("WARM_ENI_TARGET", Integer.toString(opt.warmEniTarget()));
        var limits = InstanceLimitsTable.find(opt.instanceType()).orElseThrow();
        int maxPods = InstanceLimitsTable.maxPods(limits);
        if (opt.podsPerNode() > limits.maxEnis() * (limits.ipv4PerEni() - 1)) {
            throw new IllegalArgumentException(opt.podsPerNode() + " pods do not fit the addresses of " + limits);
        }
        System.out.printf("# burst: %d nodes x %d pods = %d pods, %s (%d ENIs x %d IPv4, max pods %d), WARM_ENI_TARGET=%d%n",
                opt.nodes(), opt.podsPerNode(), opt.nodes() * opt.podsPerNode(), opt.instanceType(), limits.maxEnis(),
                limits.ipv4PerEni(), maxPods, opt.warmEniTarget());
        System.out.printf("# one shared account, default token buckets; per node: SdkEc2Api (adaptive retries, %d attempts), pool manager"
                + " on its own platform thread (interval %d ms, woken by every ADD); %d ADD threads retrying each pod every 100 ms"
                + " doubling to 1 s%n", io.vpccni.ipamd.cloud.SdkEc2Api.DEFAULT_MAX_ATTEMPTS, opt.interval().toMillis(), opt.arrivalThreads());

        var setupStart = System.nanoTime();
        var account = new SimulatedAccount("111122223333", "10.0.0.0/16", InstantSource.system(), 42);
        var subnet = account.createSubnet("10.0.0.0/16", "us-west-2a");
        var instanceIds = new ArrayList<String>();
        for (int i = 0; i < opt.nodes(); i++) {
            instanceIds.add(account.launchInstance(opt.instanceType(), subnet, List.of(account.defaultSecurityGroupId())));
        }
        try (var server = Ec2Server.start(InstantSource.system())) {
            var endpoint = server.register(ACCESS_KEY, account);
            var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
            var tally = new CountingEc2Api.Tally();
            var nodes = new BurstNode[opt.nodes()];
            try (ExecutorService discovery = Executors.newFixedThreadPool(opt.discoveryThreads())) {
                var futures = new ArrayList<java.util.concurrent.Future<BurstNode>>();
                for (int i = 0; i < opt.nodes(); i++) {
                    int n = i;
                    futures.add(discovery.submit(() -> BurstNode.discover(n, account, instanceIds.get(n), server.uri(), REGION,
                            credentials, env, tally, Duration.ofSeconds(5))));
                }
                for (int i = 0; i < nodes.length; i++) {
                    nodes[i] = futures.get(i).get();
                }
            }
            System.out.printf("# set-up: account, %d instances, EC2 endpoint, discovery of every node: %.1f s (not timed below)%n",
                    opt.nodes(), (System.nanoTime() - setupStart) / 1e9);
            printCalls("calls during discovery", endpoint.counters(), Map.of(), tally.snapshot(), Map.of());

            var before = endpoint.counters().snapshot();
            var tallyBefore = tally.snapshot();
            var result = burst(opt, nodes, endpoint.counters());

            var settle = settle(account);
            var after = endpoint.counters().snapshot();
            var tallyAfter = tally.snapshot();
            for (var node : nodes) {
                node.close();
            }
            boolean ok = report(opt, limits, result, account, nodes, endpoint, before, after, tallyBefore, tallyAfter, settle);
            System.exit(ok ? 0 : 1);
        }
    }

    /** When each pod got its address, and which. */
    record BurstResult(long t0, long[][] servedAt, String[][] ips, long attempts, boolean complete) {
    }

    private static BurstResult burst(Options opt, BurstNode[] nodes, ApiCounters counters) throws InterruptedException {
        int total = nodes.length * opt.podsPerNode();
        var servedAt = new long[nodes.length][opt.podsPerNode()];
        var ips = new String[nodes.length][opt.podsPerNode()];
        var latch = new CountDownLatch(total);
        var attempts = new AtomicLong();
        var queue = new DelayQueue<PodAdd>();

        long t0 = System.nanoTime();
        for (var node : nodes) {
            node.start(opt.interval());
        }
        for (var node : nodes) {
            for (int p = 0; p < opt.podsPerNode(); p++) {
                queue.add(new PodAdd(node, p, t0));
            }
        }
        var arrivals = new ArrayList<Thread>();
        for (int i = 0; i < opt.arrivalThreads(); i++) {
            arrivals.add(Thread.ofPlatform().daemon().name("kubelet-" + i).start(() -> {
                try {
                    while (true) {
                        var add = queue.take();
                        add.attempts++;
                        attempts.incrementAndGet();
                        var key = new AttachmentKey(NETWORK, "c-" + add.node.index + "-" + add.pod, "eth0");
                        try {
                            var a = add.node.pool.assign(key, new PodIdentity("burst", "pod-" + add.node.index + "-" + add.pod, "", ""));
                            servedAt[add.node.index][add.pod] = System.nanoTime();
                            ips[add.node.index][add.pod] = a.allocation().ipv4Text();
                            latch.countDown();
                        } catch (PoolException e) {
                            add.dueNanos = System.nanoTime() + add.retryDelayNanos();
                            queue.add(add);
                        }
                    }
                } catch (InterruptedException e) {
                    // done
                }
            }));
        }
        var progress = Thread.ofPlatform().daemon().name("progress").start(() -> {
            try {
                while (true) {
                    Thread.sleep(10_000);
                    long mutatingThrottled = 0;
                    long created = counters.calls("CreateNetworkInterface") - counters.errors("CreateNetworkInterface");
                    for (var c : counters.snapshot().values()) {
                        mutatingThrottled += c.throttled();
                    }
                    System.err.printf("  t=%5.0f s  pods served %6d/%d  ENIs created %5d  throttled so far %7d%n",
                            (System.nanoTime() - t0) / 1e9, total - latch.getCount(), total, created, mutatingThrottled);
                }
            } catch (InterruptedException e) {
                // done
            }
        });
        boolean complete = latch.await(opt.timeout().toMillis(), TimeUnit.MILLISECONDS);
        progress.interrupt();
        arrivals.forEach(Thread::interrupt);
        for (var t : arrivals) {
            t.join();
        }
        return new BurstResult(t0, servedAt, ips, attempts.get(), complete);
    }

    /** Waits until the account's ENIs stop changing (in-flight clean-ups end), at most 60 s. */
    private static double settle(SimulatedAccount account) throws InterruptedException {
        long start = System.nanoTime();
        var last = "";
        int stable = 0;
        while (stable < 3 && System.nanoTime() - start < 60_000_000_000L) {
            var now = account.networkInterfaces().stream().map(e -> e.id() + e.status()).sorted().toList().toString();
            stable = now.equals(last) ? stable + 1 : 0;
            last = now;
            Thread.sleep(1000);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Strictly necessary successful calls per action, for all nodes, from the pool's arithmetic. */
    static Map<String, Long> neededCalls(int nodes, int pods, io.vpccni.ipamd.policy.InstanceLimits limits) {
        int perEni = limits.ipv4PerEni() - 1;
        int enis = Math.ceilDiv(pods, perEni);          // ENIs whose addresses the pods need, the primary included
        var needed = new LinkedHashMap<String, Long>();
        // The primary ENI starts with no secondary address: one AssignPrivateIpAddresses fills it.
        needed.put("AssignPrivateIpAddresses", pods > 0 ? (long) nodes : 0);
        // Every further ENI: created with its addresses in one call, attached, marked delete-on-termination.
        needed.put("CreateNetworkInterface", (long) nodes * (enis - 1));
        needed.put("AttachNetworkInterface", (long) nodes * (enis - 1));
        needed.put("ModifyNetworkInterfaceAttribute", (long) nodes * (enis - 1));
        // Non-mutating: none is strictly necessary (a node can track its device indexes; IMDS is not metered).
        // The product asks DescribeInstances once per new ENI for a free device index; shown for comparison.
        needed.put("DescribeInstances", 0L);
        return needed;
    }

    /** The bucket an action's requests draw from, as ThrottlePolicy.bucketFor picks it (by-ID requests). */
    static ThrottlePolicy.Bucket bucketOf(ThrottlePolicy policy, String action) {
        var override = policy.overrides().get(action);
        if (override != null) {
            return override;
        }
        return policy.categories().get(action.startsWith("Describe") ? ThrottlePolicy.Category.NON_MUTATING
                : ThrottlePolicy.Category.MUTATING);
    }

    private static boolean report(Options opt, io.vpccni.ipamd.policy.InstanceLimits limits, BurstResult r,
                                  SimulatedAccount account, BurstNode[] nodes, Ec2Server.AccountEndpoint endpoint,
                                  Map<String, ApiCounters.Counts> before, Map<String, ApiCounters.Counts> after,
                                  Map<String, CountingEc2Api.Outcomes> tallyBefore, Map<String, CountingEc2Api.Outcomes> tallyAfter,
                                  double settleSeconds) {
        int total = nodes.length * opt.podsPerNode();
        var latencies = new ArrayList<Double>();
        for (var node : r.servedAt()) {
            for (var t : node) {
                if (t != 0) {
                    latencies.add((t - r.t0()) / 1e9);
                }
            }
        }
        latencies.sort(null);
        double all = latencies.isEmpty() ? Double.NaN : latencies.getLast();
        System.out.println();
        System.out.printf("## time to serve every pod%n");
        System.out.printf("pods served: %d of %d%s%n", latencies.size(), total, r.complete() ? "" : " (TIMED OUT after " + opt.timeout().toSeconds() + " s)");
        System.out.printf("time until every pod had an IP: %.1f s   (pod ADD latency p50 %.1f s, p90 %.1f s, p99 %.1f s)%n",
                all, pct(latencies, 0.5), pct(latencies, 0.9), pct(latencies, 0.99));
        System.out.printf("ADD attempts (kubelet retries included): %d%n", r.attempts());

        System.out.println();
        printCalls("EC2 calls during the burst (from the pods' arrival until the ENIs settled)", endpoint.counters(), before, tallyAfter, tallyBefore);

        System.out.println();
        System.out.println("## lower bound from the token buckets");
        System.out.println("Each action has its own bucket (ThrottlePolicy.bucketKey: the action name; Describe* with IDs/filters are metered");
        System.out.println("apart from unfiltered ones). A bucket of capacity C refilled at r/s starts full, so by time T it can have granted at");
        System.out.println("most C + r*T requests; N successful calls need T >= (N - C)/r.  T_lb = max over buckets of max(0, N_b - C_b) / r_b,");
        System.out.println("N_b = the strictly necessary calls: ENIs needed per node k = ceil(pods / (ipv4PerEni - 1)); 1 AssignPrivateIpAddresses for");
        System.out.println("the primary ENI's addresses; per further ENI 1 CreateNetworkInterface (addresses included), 1 AttachNetworkInterface,");
        System.out.println("1 ModifyNetworkInterfaceAttribute (DeleteOnTermination). No non-mutating call is strictly necessary.");
        var policy = endpoint.throttler().policy();
        var needed = neededCalls(nodes.length, opt.podsPerNode(), limits);
        double bound = 0;
        String binding = "";
        System.out.printf("| %-32s | %8s | %8s | %6s | %14s | %13s | %9s |%n", "bucket (action)", "needed N", "capacity", "refill", "(N-C)/r s", "succeeded", "beyond N");
        System.out.println("|" + "-".repeat(34) + "|" + "-".repeat(10) + "|" + "-".repeat(10) + "|" + "-".repeat(8) + "|" + "-".repeat(16) + "|" + "-".repeat(15) + "|" + "-".repeat(11) + "|");
        for (var e : needed.entrySet()) {
            var b = bucketOf(policy, e.getKey());
            double t = Math.max(0, e.getValue() - b.capacity()) / b.refillPerSecond();
            var succeeded = succeeded(after, e.getKey()) - succeeded(before, e.getKey());
            System.out.printf("| %-32s | %8d | %8d | %6.1f | %14.1f | %13d | %9d |%n", e.getKey(), e.getValue(), b.capacity(),
                    b.refillPerSecond(), t, succeeded, succeeded - e.getValue());
            if (t > bound) {
                bound = t;
                binding = e.getKey();
            }
        }
        if (bound > 0) {
            System.out.printf("lower bound T_lb = %.1f s (bucket %s); measured %.1f s; ratio %.2fx (target <= 1.5x: %s)%n",
                    bound, binding, all, all / bound, r.complete() && all <= 1.5 * bound ? "MET" : "NOT MET");
        } else {
            System.out.printf("lower bound T_lb = 0 s: every bucket holds the needed calls, throttling need not delay anything;"
                    + " measured %.1f s%n", all);
        }

        System.out.println();
        return audit(opt, r, account, nodes, settleSeconds);
    }

    private static long succeeded(Map<String, ApiCounters.Counts> counts, String action) {
        var c = counts.get(action);
        return c == null ? 0 : c.calls() - c.errors();
    }

    private static void printCalls(String title, ApiCounters counters, Map<String, ApiCounters.Counts> before,
                                   Map<String, CountingEc2Api.Outcomes> tally, Map<String, CountingEc2Api.Outcomes> tallyBefore) {
        System.out.println("## " + title);
        System.out.println("requests = HTTP requests the simulated EC2 received (SDK attempts); calls = Ec2Api calls the daemon made;");
        System.out.println("gave up = calls that still failed after the SDK's attempts (throttled / other).");
        System.out.printf("| %-32s | %9s | %9s | %7s | %9s | %8s | %15s |%n", "action", "requests", "throttled", "errors", "succeeded",
                "calls", "gave up thr/oth");
        System.out.println("|" + "-".repeat(34) + "|" + "-".repeat(11) + "|" + "-".repeat(11) + "|" + "-".repeat(9) + "|" + "-".repeat(11) + "|" + "-".repeat(10) + "|" + "-".repeat(17) + "|");
        var now = counters.snapshot();
        var actions = new TreeSet<>(now.keySet());
        actions.addAll(tally.keySet());
        long sumReq = 0, sumThr = 0;
        for (var a : actions) {
            var c = now.getOrDefault(a, new ApiCounters.Counts(0, 0, 0));
            var b = before.getOrDefault(a, new ApiCounters.Counts(0, 0, 0));
            var t = tally.getOrDefault(a, new CountingEc2Api.Outcomes(0, 0, 0));
            var tb = tallyBefore.getOrDefault(a, new CountingEc2Api.Outcomes(0, 0, 0));
            long req = c.calls() - b.calls(), thr = c.throttled() - b.throttled(), err = c.errors() - b.errors();
            if (req == 0 && t.calls() - tb.calls() == 0) {
                continue;
            }
            sumReq += req;
            sumThr += thr;
            System.out.printf("| %-32s | %9d | %9d | %7d | %9d | %8d | %7d/%-7d |%n", a, req, thr, err - thr, req - err,
                    t.calls() - tb.calls(), t.throttled() - tb.throttled(), t.failed() - tb.failed());
        }
        System.out.printf("| %-32s | %9d | %9d | %7s | %9s | %8s | %15s |%n", "all", sumReq, sumThr, "", "", "", "");
    }

    /** No ENI leaked, every attached ENI tracked by its node, every address distinct and really on its node. */
    private static boolean audit(Options opt, BurstResult r, SimulatedAccount account, BurstNode[] nodes, double settleSeconds) {
        System.out.println("## audit (after the account's ENIs stayed unchanged for 3 s; waited " + String.format("%.0f", settleSeconds) + " s)");
        boolean ok = r.complete();
        var enis = account.networkInterfaces();
        var byStatus = new HashMap<String, Integer>();
        enis.forEach(e -> byStatus.merge(e.status(), 1, Integer::sum));
        var available = enis.stream().filter(e -> e.attachment().isEmpty()).map(NetworkInterface::id).toList();
        System.out.printf("ENIs in the account: %d (in-use %d, available %d); expected in-use: %d nodes x %d = %d%n", enis.size(),
                byStatus.getOrDefault("in-use", 0), available.size(), nodes.length,
                Math.ceilDiv(opt.podsPerNode(), InstanceLimitsTable.find(opt.instanceType()).orElseThrow().ipv4PerEni() - 1),
                nodes.length * Math.ceilDiv(opt.podsPerNode(), InstanceLimitsTable.find(opt.instanceType()).orElseThrow().ipv4PerEni() - 1));
        System.out.printf("leaked (available) ENIs: %d %s%n", available.size(), available.isEmpty() ? "(ok)" : available.subList(0, Math.min(10, available.size())));
        ok &= available.isEmpty();

        var ipsOfInstance = new HashMap<String, Set<String>>();
        var attachedTo = new HashMap<String, Set<String>>();
        for (var e : enis) {
            e.attachment().ifPresent(a -> {
                attachedTo.computeIfAbsent(a.instanceId(), k -> new HashSet<>()).add(e.id());
                ipsOfInstance.computeIfAbsent(a.instanceId(), k -> new HashSet<>()).addAll(e.secondaryIps());
            });
        }
        int untracked = 0, phantom = 0, duplicateInNode = 0, notOnNode = 0;
        var allIps = new HashSet<String>();
        int served = 0;
        for (var node : nodes) {
            var tracked = new HashSet<String>();
            node.datastore.usage().forEach(u -> tracked.add(u.info().eniId()));
            var attached = attachedTo.getOrDefault(node.instanceId, Set.of());
            for (var id : attached) {
                if (!tracked.contains(id)) {
                    untracked++;
                }
            }
            for (var id : tracked) {
                if (!attached.contains(id)) {
                    phantom++;
                }
            }
            var nodeIps = new HashSet<String>();
            for (var ip : r.ips()[node.index]) {
                if (ip == null) {
                    continue;
                }
                served++;
                if (!nodeIps.add(ip)) {
                    duplicateInNode++;
                }
                if (!ipsOfInstance.getOrDefault(node.instanceId, Set.of()).contains(ip)) {
                    notOnNode++;
                }
                allIps.add(ip);
            }
        }
        int duplicateAccount = served - allIps.size();
        System.out.printf("attached ENIs not tracked by their node's datastore: %d; tracked ENIs not attached in EC2: %d%n", untracked, phantom);
        System.out.printf("pod addresses: %d served, %d distinct account-wide; duplicates within a node: %d, account-wide: %d;"
                + " not a secondary IP of an ENI attached to the pod's node: %d%n", served, allIps.size(), duplicateInNode,
                duplicateAccount, notOnNode);
        ok &= untracked == 0 && phantom == 0 && duplicateInNode == 0 && duplicateAccount == 0 && notOnNode == 0;
        System.out.println("audit: " + (ok ? "PASS" : "FAIL"));
        return ok;
    }

    private static double pct(List<Double> sorted, double q) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }

    private BurstBench() {
    }
}
