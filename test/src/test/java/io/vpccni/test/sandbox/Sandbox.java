package io.vpccni.test.sandbox;

import io.vpccni.ipamd.policy.InstanceLimitsTable;
import io.vpccni.test.Executables;
import io.vpccni.test.cluster.LoopbackApiServer;
import io.vpccni.test.node.SimulatedNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The product on one simulated node: the simulated cloud (EC2 + IMDS), the real aws-k8s-agent process
 * configured against it, and pods run through the real aws-cni executable exactly as a runtime runs them.
 * Prints each pod's address and ENI, the pool, and step timings; tears everything down, also on Ctrl-C.
 * Runs as root inside the private namespace test/bin/sandbox creates.
 *
 * <p>With {@code --custom-networking} there is a Kubernetes API server too (Fabric8's mock server on loopback, with
 * the repository's CRDs): the Node labelled with its zone, the aws-node pod the daemon posts events on, and an
 * ENIConfig for the zone naming a second subnet of the VPC (100.64.0.0/19) and a security group of its own. The daemon
 * runs with AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG=true and ENI_CONFIG_LABEL_DEF=topology.kubernetes.io/zone; each pod's
 * subnet is printed, and at the end the Events the daemon posted and the CNINode's features.
 */
public final class Sandbox {
    private static final Pattern IP = Pattern.compile("\"address\":\"([0-9.]+)/32\"");

    private static final String ZONE = "us-west-2a";
    private static final String AWS_NODE_POD = "aws-node-sandbox";

    record Options(int pods, String instanceType, Map<String, String> poolEnv, boolean customNetworking, boolean serve) {
        static Options parse(String[] args) {
            var pods = 5;
            var type = "m5.large";
            var customNetworking = false;
            var serve = false;
            var env = new HashMap<String, String>();
            for (var i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--pods" -> pods = Integer.parseInt(args[++i]);
                    case "--instance-type" -> type = args[++i];
                    case "--warm-eni-target" -> env.put("WARM_ENI_TARGET", args[++i]);
                    case "--warm-ip-target" -> env.put("WARM_IP_TARGET", args[++i]);
                    case "--minimum-ip-target" -> env.put("MINIMUM_IP_TARGET", args[++i]);
                    case "--warm-prefix-target" -> env.put("WARM_PREFIX_TARGET", args[++i]);
                    case "--prefix-delegation" -> env.put("ENABLE_PREFIX_DELEGATION", "true");
                    case "--custom-networking" -> customNetworking = true;
                    case "--serve" -> serve = true;
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (env.containsKey("ENABLE_PREFIX_DELEGATION") && !env.containsKey("WARM_PREFIX_TARGET")) {
                env.put("WARM_PREFIX_TARGET", "1");
            }
            return new Options(pods, type, env, customNetworking, serve);
        }
    }

    public static void main(String[] args) throws Exception {
        var options = Options.parse(args);
        if (options.serve()) {
            io.vpccni.test.runtime.ServedNode.serve(options.pods());  // a node for real runtimes, until Ctrl-C
            return;
        }
        var agent = Path.of(System.getProperty("vpccni.dist.agent"));
        var plugin = Path.of(System.getProperty("vpccni.dist.plugin"));
        var work = Files.createTempDirectory("vpccni-sandbox");
        run("ip", "netns", "add", "vpc");
        var t0 = System.nanoTime();
        try (var node = new SimulatedNode(options.instanceType(), "10.0.1.0/24", Path.of("/run/netns/vpc"), InstantSource.system())) {
            System.out.printf("simulated cloud: %s, instance %s (%s) in %s, EC2 %s, IMDS %s%n", node.account.vpcId(),
                    node.instanceId, options.instanceType(), node.subnetId, node.ec2Endpoint(), node.imdsEndpoint());
            var socket = work.resolve("ipamd.sock");
            var env = new HashMap<>(options.poolEnv());
            env.putAll(node.daemonEnv(socket, work.resolve("ipam.json")));
            var api = options.customNetworking() ? cluster(node, options, work, env) : null;
            var doctor = new SandboxDoctor(agent, work);
            env.putAll(doctor.env(socket));
            doctor.daemonEnv(env);
            env.put("AWS_K8S_AGENT_CDS_ARCHIVE", System.getProperty("vpccni.cds.archive"));
            var pb = new ProcessBuilder(agent.toString()).redirectErrorStream(true).redirectOutput(work.resolve("agent.log").toFile());
            // A test machine that is itself a pod must not hand the daemon its API server: only the test says which.
            pb.environment().keySet().removeIf(name -> name.startsWith("KUBERNETES_") || name.equals("KUBECONFIG"));
            pb.environment().putAll(env);
            var daemonStart = System.currentTimeMillis();
            var daemon = pb.start();
            Runtime.getRuntime().addShutdownHook(new Thread(daemon::destroy));
            var conf = "{\"cniVersion\":\"1.1.0\",\"name\":\"aws-cni\",\"type\":\"aws-cni\",\"mtu\":\"9001\",\"vethPrefix\":\"eni\","
                    + "\"pluginLogFile\":\"" + work.resolve("plugin.log") + "\",\"ipamdSocket\":\"" + socket + "\"}";
            try {
                var ready = awaitReady(plugin, conf, daemon);
                System.out.printf("aws-k8s-agent ready (STATUS ok) %d ms after start%n%n", ready);
                var ips = new TreeMap<Integer, String>();
                for (var i = 1; i <= options.pods(); i++) {
                    run("ip", "netns", "add", "pod-" + i);
                    var start = System.nanoTime();
                    var add = addWithRetry(plugin, conf, i);
                    var m = IP.matcher(add);
                    if (!m.find()) {
                        System.out.printf("  pod-%-3d ADD failed: %s%n", i, add);
                        continue;
                    }
                    ips.put(i, m.group(1));
                    if (ips.size() == 1) {
                        System.out.printf("  (first pod served %d ms after aws-k8s-agent was started)%n", System.currentTimeMillis() - daemonStart);
                    }
                    var eni = eniOf(node, m.group(1));
                    var subnet = api == null ? "" : "  " + eni[2] + " (" + node.account.subnet(eni[2]).cidr() + ")";
                    System.out.printf("  pod-%-3d %-12s on %s (device %d)%s  ADD %d ms%n", i, m.group(1), eni[0], Integer.parseInt(eni[1]),
                            subnet, (System.nanoTime() - start) / 1_000_000);
                }
                Thread.sleep(3000);  // let the warm pool catch up with the last pods
                printPool(node, ips, api != null);
                try (var client = java.net.http.HttpClient.newHttpClient()) {
                    Observability.printIntrospection(client);
                    flushRulesAndWatchThemComeBack();
                    Observability.printMetrics(client);
                }
                doctor.printCheckups(node);
                var delStart = System.nanoTime();
                for (var i : ips.keySet()) {
                    cni(plugin, "DEL", conf, i);
                    run("ip", "netns", "del", "pod-" + i);
                }
                System.out.printf("%nDEL of %d pods: %d ms%n", ips.size(), (System.nanoTime() - delStart) / 1_000_000);
                if (api != null) {
                    printCluster(api, nodeName(node));
                }
            } finally {
                daemon.destroy();
                daemon.waitFor(10, TimeUnit.SECONDS);
                if (api != null) {
                    api.close();  // its server's threads would keep the JVM alive
                }
                System.out.println("aws-k8s-agent log: how the pool grew (ms after the daemon was started)");
                var message = Pattern.compile("\"timestamp\":(\\d+).*\"formattedMessage\":\"(.*?)\",\"throwable");
                for (var line : Files.readAllLines(work.resolve("agent.log"))) {
                    var m = message.matcher(line);
                    if (m.find() && (line.contains("io.vpccni.ipamd.eni") || line.contains("io.vpccni.ipamd.host") || line.contains("NodeServices") || line.contains("PooledAllocator")
                            || line.contains("RpcServer"))) {
                        System.out.printf("  +%5d %s%n", Long.parseLong(m.group(1)) - daemonStart, m.group(2).replace("\\/", "/"));
                    }
                }
            }
        } finally {
            run("ip", "netns", "del", "vpc");
            System.out.printf("sandbox: done in %d ms; everything ran in private namespaces that are now gone%n",
                    (System.nanoTime() - t0) / 1_000_000);
        }
    }

    private static long awaitReady(Path plugin, String conf, Process daemon) throws Exception {
        var start = System.nanoTime();
        while (true) {
            if (!daemon.isAlive()) {
                throw new IllegalStateException("aws-k8s-agent exited with " + daemon.exitValue());
            }
            var status = exec(plugin, Map.of("CNI_COMMAND", "STATUS", "CNI_PATH", "/opt/cni/bin"), conf);
            if (status[0].equals("0")) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            if (System.nanoTime() - start > Duration.ofSeconds(60).toNanos()) {
                throw new IllegalStateException("aws-k8s-agent not ready after 60 s: " + status[1]);
            }
            Thread.sleep(100);
        }
    }

    /** ADD as kubelet does it: on "try again later" (code 11) it tries again. */
    private static String addWithRetry(Path plugin, String conf, int pod) throws Exception {
        var deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            var out = cni(plugin, "ADD", conf, pod);
            if (!out.contains("\"code\":11") || System.nanoTime() > deadline) {
                return out;
            }
            Thread.sleep(200);
        }
    }

    private static String cni(Path plugin, String verb, String conf, int pod) throws Exception {
        return exec(plugin, Map.of("CNI_COMMAND", verb, "CNI_CONTAINERID", "sandbox-" + pod, "CNI_NETNS", "/run/netns/pod-" + pod,
                "CNI_IFNAME", "eth0", "CNI_PATH", "/opt/cni/bin", "CNI_ARGS", "K8S_POD_NAMESPACE=sandbox;K8S_POD_NAME=pod-" + pod), conf)[1];
    }

    private static String[] exec(Path plugin, Map<String, String> env, String stdin) throws IOException, InterruptedException {
        var result = Executables.plugin(plugin, env, stdin);
        return new String[]{String.valueOf(result.exit()), result.stdout()};
    }

    private static String[] eniOf(SimulatedNode node, String ip) {
        for (var eni : node.account.networkInterfaces()) {
            if (eni.allIps().contains(ip) || eni.prefixes().stream().anyMatch(p -> inPrefix(ip, p))) {
                return new String[]{eni.id(), String.valueOf(eni.attachment().map(a -> a.deviceIndex()).orElse(-1)), eni.subnetId()};
            }
        }
        return new String[]{"?", "-1", "?"};
    }

    private static String nodeName(SimulatedNode node) {
        return "ip-" + node.account.instance(node.instanceId).primaryInterface().primaryIp().replace('.', '-')
                + ".us-west-2.compute.internal";
    }

    /**
     * The cluster of --custom-networking: the API server, the Node labelled with its zone, the aws-node pod, the zone's
     * ENIConfig with a second subnet of the VPC and a security group for pods; and the daemon's settings to use them.
     */
    private static LoopbackApiServer cluster(SimulatedNode node, Options options, Path work, Map<String, String> env) {
        node.account.addVpcCidr("100.64.0.0/16");
        var podSubnet = node.account.createSubnet("100.64.0.0/19", ZONE);
        var podGroup = node.account.createSecurityGroup("pods");
        var api = new LoopbackApiServer();
        var name = nodeName(node);
        var maxPods = InstanceLimitsTable.find(options.instanceType()).map(InstanceLimitsTable::maxPods);
        api.createNode(name, Map.of(LoopbackApiServer.ZONE_LABEL, ZONE), maxPods.map(OptionalInt::of).orElse(OptionalInt.empty()));
        api.createAwsNodePod("kube-system", AWS_NODE_POD, name);
        api.createEniConfig(ZONE, podSubnet, List.of(podGroup));
        env.putAll(api.daemonEnv(work, name, AWS_NODE_POD));
        env.put("AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG", "true");
        env.put("ENI_CONFIG_LABEL_DEF", LoopbackApiServer.ZONE_LABEL);
        System.out.printf("API server (mock, loopback): %s; Node %s labelled %s=%s, capacity.pods %s; pod kube-system/%s%n",
                api.url(), name, LoopbackApiServer.ZONE_LABEL, ZONE, maxPods.map(String::valueOf).orElse("not set"), AWS_NODE_POD);
        System.out.printf("ENIConfig %s: subnet %s (100.64.0.0/19, %s), security group %s; the primary ENI's subnet %s gives pods nothing%n",
                ZONE, podSubnet, ZONE, podGroup, node.subnetId);
        return api;
    }

    /** What the daemon wrote into the cluster: the Events (on its pod or the Node) and the CNINode's features. */
    private static void printCluster(LoopbackApiServer api, String nodeName) {
        var events = api.events();
        System.out.printf("%nevents posted by aws-k8s-agent: %s%n", events.isEmpty() ? "none" : events.size());
        for (var e : events) {
            System.out.printf("  %-7s %-32s x%-3d %s/%s: %s%n", e.getType(), e.getReason(), e.getCount() == null ? 1 : e.getCount(),
                    e.getInvolvedObject().getKind(), e.getInvolvedObject().getName(), e.getMessage());
        }
        var features = api.cniNodeFeatures(nodeName);
        System.out.printf("CNINode %s features: %s%n", nodeName, features.isEmpty() ? "none" : String.join(", ", features));
    }

    private static boolean inPrefix(String ip, String prefix) {
        var base = prefix.substring(0, prefix.indexOf('/'));
        var a = base.split("\\.");
        var b = ip.split("\\.");
        return a[0].equals(b[0]) && a[1].equals(b[1]) && a[2].equals(b[2])
                && Integer.parseInt(b[3]) >= Integer.parseInt(a[3]) && Integer.parseInt(b[3]) < Integer.parseInt(a[3]) + 16;
    }

    /** What `systemctl restart systemd-networkd` does to every foreign rule (upstream #3309), and the repair. */
    private static void flushRulesAndWatchThemComeBack() throws Exception {
        var before = ruleCount();
        var flushed = System.nanoTime();
        run("ip", "rule", "flush");  // removes every rule but the kernel's defaults, as a networkd restart does
        // Not "before minus what is left": the healer puts them back within milliseconds, often before `ip` can count.
        while (ruleCount() < before && System.nanoTime() - flushed < Duration.ofSeconds(5).toNanos()) {
            Thread.sleep(1);
        }
        System.out.printf("%nflushed the %d pod and ENI rules (as a systemd-networkd restart does): %d back after %.1f ms "
                + "(each look forks `ip rule show`; test/bench/heal-bench.sh times the healer)%n", before, ruleCount(),
                (System.nanoTime() - flushed) / 1e6);
    }

    private static int ruleCount() throws IOException, InterruptedException {
        var p = new ProcessBuilder("ip", "rule", "show").start();
        var out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor();
        return (int) out.lines().filter(l -> l.startsWith("512:") || l.startsWith("1536:") || l.startsWith("32765:")).count();
    }

    private static void printPool(SimulatedNode node, Map<Integer, String> podIps, boolean subnets) {
        System.out.println();
        System.out.println("pool (as EC2 sees it):");
        var used = new ArrayList<>(podIps.values());
        for (var eni : node.account.networkInterfaces()) {
            var device = eni.attachment().map(a -> a.deviceIndex()).orElse(-1);
            var addresses = new ArrayList<String>(eni.secondaryIps());
            var inUse = used.stream().filter(ip -> eni.secondaryIps().contains(ip)
                    || eni.prefixes().stream().anyMatch(p -> inPrefix(ip, p))).count();
            System.out.printf("  %s device %d %-9s secondary IPs %2d, prefixes %s, pods %d%s%n", eni.id(), device, eni.status(),
                    addresses.size(), eni.prefixes(), inUse, subnets ? ", " + eni.subnetId() + " " + eni.securityGroupIds() : "");
        }
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        var p = new ProcessBuilder(List.of(cmd)).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed");
        }
    }
}
