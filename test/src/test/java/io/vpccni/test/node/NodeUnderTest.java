package io.vpccni.test.node;

import io.vpccni.ipamd.testing.Ip;
import io.vpccni.simcloud.ApiCounters;
import io.vpccni.simcloud.NetworkInterface;
import io.vpccni.test.Executables;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * One simulated node for an end-to-end test: its cloud ({@link SimulatedNode}, ENIs as veths), the real aws-k8s-agent
 * process against it, and pods through the real aws-cni exactly as a runtime runs it (a fresh netns each). Closing
 * it stops the daemon and removes every namespace it made. Runs inside the test JVM's private namespaces.
 */
public final class NodeUnderTest implements AutoCloseable {
    private static final Path AGENT = Path.of(System.getProperty("vpccni.dist.agent", "../ipamd/target/dist/aws-k8s-agent"));
    private static final Pattern ADDRESS = Pattern.compile("\"address\":\"([0-9.]+)/32\"");

    public final SimulatedNode cloud;
    public final Path dir;
    private final String name;
    private final Path socket;
    private final List<String> podNamespaces = new ArrayList<>();
    private Process daemon;
    private Path log;
    private int starts;

    /** @param name short, unique among the test's namespaces */
    public NodeUnderTest(String name, String instanceType, Path dir) throws IOException {
        this.name = name;
        this.dir = dir;
        this.socket = dir.resolve("ipamd.sock");
        Ip.run("netns", "add", "vpc-" + name);
        try {
            cloud = new SimulatedNode(instanceType, "10.0.1.0/24", Path.of("/run/netns/vpc-" + name), InstantSource.system());
        } catch (IOException | RuntimeException e) {
            Ip.quietly("netns", "del", "vpc-" + name);
            throw e;
        }
    }

    /** The daemon's environment on this node: the cloud's endpoints and credentials, the socket, the checkpoint. */
    public Map<String, String> env() {
        return cloud.daemonEnv(socket, dir.resolve("ipam.json"));
    }

    /** Starts aws-k8s-agent with {@link #env()} and {@code extra}, without waiting for it. */
    public void start(Map<String, String> extra) throws IOException {
        if (daemon != null && daemon.isAlive()) {
            throw new IllegalStateException("the daemon of " + name + " is running already");
        }
        var env = new HashMap<>(env());
        env.putAll(extra);
        log = dir.resolve("agent-" + (++starts) + ".log");
        var pb = new ProcessBuilder(AGENT.toAbsolutePath().toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // A test machine that is itself a pod must not hand the daemon its API server: only the test says which.
        pb.environment().keySet().removeIf(name -> name.startsWith("KUBERNETES_") || name.equals("KUBECONFIG"));
        pb.environment().put("AWS_K8S_AGENT_CDS_ARCHIVE", Path.of("target/aws-k8s-agent.jsa").toAbsolutePath().toString());
        pb.environment().putAll(env);
        daemon = pb.start();
    }

    public boolean running() {
        return daemon != null && daemon.isAlive();
    }

    /** SIGTERM, as kubelet stops aws-node, and waits for it to exit. */
    public void stop() throws InterruptedException {
        if (daemon != null) {
            daemon.destroy();
            if (!daemon.waitFor(15, TimeUnit.SECONDS)) {
                daemon.destroyForcibly();
                daemon.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** The running daemon's log (JSON lines). */
    public String log() {
        try {
            return log == null ? "" : Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The log's messages (the {@code formattedMessage} of each JSON line, its {@code /} and {@code "} unescaped). */
    public List<String> logMessages() {
        var message = Pattern.compile("\"formattedMessage\":\"(.*?)\",\"");
        return log().lines().map(message::matcher).filter(java.util.regex.Matcher::find)
                .map(m -> m.group(1).replace("\\/", "/").replace("\\\"", "\"")).toList();
    }

    /** Whether the daemon has logged a message containing {@code text}. */
    public boolean logged(String text) {
        return logMessages().stream().anyMatch(m -> m.contains(text));
    }

    // ---- the plugin, as a runtime runs it

    public String conf() {
        return "{\"cniVersion\":\"1.1.0\",\"name\":\"aws-cni\",\"type\":\"aws-cni\",\"pluginLogFile\":\"" + dir.resolve("plugin.log")
                + "\",\"ipamdSocket\":\"" + socket + "\"}";
    }

    public Executables.Result status() throws IOException, InterruptedException {
        return Executables.plugin(Path.of(System.getProperty("vpccni.dist.plugin", "../cni-plugin/target/dist/aws-cni")),
                Map.of("CNI_COMMAND", "STATUS", "CNI_PATH", "/opt/cni/bin"), conf());
    }

    /** One ADD of pod {@code pod} (its netns made on first use). */
    public Executables.Result add(String pod) throws IOException, InterruptedException {
        var netns = name + "-" + pod;
        if (!podNamespaces.contains(netns)) {
            Ip.run("netns", "add", netns);
            podNamespaces.add(netns);
        }
        return cni("ADD", pod);
    }

    public Executables.Result del(String pod) throws IOException, InterruptedException {
        return cni("DEL", pod);
    }

    /** ADD as kubelet does it: again after each "try again later" (code 11) until served or {@code deadline}. @return the address */
    public String addUntilServed(String pod, Duration deadline) throws IOException, InterruptedException {
        var end = System.nanoTime() + deadline.toNanos();
        while (true) {
            var add = add(pod);
            if (add.exit() == 0) {
                var m = ADDRESS.matcher(add.stdout());
                if (!m.find()) {
                    throw new AssertionError("ADD of " + pod + " succeeded without an IPv4 address: " + add.stdout());
                }
                return m.group(1);
            }
            if (!add.stdout().contains("\"code\":11") || System.nanoTime() > end) {
                throw new AssertionError("ADD of " + pod + " not served within " + deadline + ": " + add.stdout()
                        + "\ndaemon log:\n" + String.join("\n", tail(logMessages(), 30)));
            }
            Thread.sleep(100);  // a poll interval: kubelet retries too
        }
    }

    private Executables.Result cni(String verb, String pod) throws IOException, InterruptedException {
        return Executables.plugin(Path.of(System.getProperty("vpccni.dist.plugin", "../cni-plugin/target/dist/aws-cni")),
                Map.of("CNI_COMMAND", verb, "CNI_CONTAINERID", name + "-" + pod, "CNI_NETNS", "/run/netns/" + name + "-" + pod,
                        "CNI_IFNAME", "eth0", "CNI_PATH", "/opt/cni/bin", "CNI_ARGS", "K8S_POD_NAMESPACE=e2e;K8S_POD_NAME=" + pod),
                conf());
    }

    // ---- what the node shows: EC2's state, the daemon's metrics

    /** The ENI (in EC2, now) holding {@code ip}. */
    public Optional<NetworkInterface> eniHolding(String ip) {
        return cloud.account.networkInterfaces().stream().filter(e -> e.allIps().contains(ip)).findFirst();
    }

    /** The ENIs EC2 has attached to this node's instance, by device index. */
    public List<NetworkInterface> attachedEnis() {
        return cloud.account.instance(cloud.instanceId).networkInterfaces();
    }

    /** The Node's name, as kubelet registers an EC2 instance: {@code ip-10-0-1-4.us-west-2.compute.internal}. */
    public String nodeName() {
        return "ip-" + primaryEni().primaryIp().replace('.', '-') + ".us-west-2.compute.internal";
    }

    public NetworkInterface primaryEni() {
        return cloud.account.instance(cloud.instanceId).primaryInterface();
    }

    /** The simulated EC2's counts of the calls made to it, per action. */
    public ApiCounters ec2Calls() {
        return cloud.ec2.endpoint(SimulatedNode.ACCESS_KEY).counters();
    }

    /** The daemon's Prometheus text, or why it cannot be read (the daemon may still be starting). */
    public static String metricsOrError() {
        try (var client = HttpClient.newHttpClient()) {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:61678/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }

    /** A sample of the daemon's metrics (e.g. {@code awscni_force_removed_ips}), when it is exported. */
    public static Optional<Double> metric(String series) {
        return metricsOrError().lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length() + 1).strip()));
    }

    /**
     * Polls {@code condition} until it holds or {@code deadline} passes (the daemon dying ends it at once); a test
     * then asserts the end state.
     */
    public void await(Duration deadline, String what, BooleanSupplier condition, Supplier<String> state) throws InterruptedException {
        var end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (daemon != null && !daemon.isAlive()) {
                throw new AssertionError("aws-k8s-agent exited (" + daemon.exitValue() + ") while waiting for " + what + ":\n"
                        + String.join("\n", tail(logMessages(), 30)));
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + deadline + ": " + what + "; " + state.get() + "\ndaemon log:\n"
                        + String.join("\n", tail(logMessages(), 30)));
            }
            Thread.sleep(100);  // a poll interval, not a wait for time to pass: the condition decides
        }
    }

    /** Polls until the daemon has logged a line containing {@code text}. */
    public void awaitLog(Duration deadline, String text) throws InterruptedException {
        await(deadline, "the daemon logs '" + text + "'", () -> logged(text), () -> "");
    }

    private static <T> List<T> tail(List<T> list, int n) {
        return list.subList(Math.max(0, list.size() - n), list.size());
    }

    @Override
    public void close() throws InterruptedException {
        try {
            stop();
        } finally {
            for (var netns : podNamespaces) {
                Ip.quietly("netns", "del", netns);
            }
            cloud.close();
            Ip.quietly("netns", "del", "vpc-" + name);
        }
    }
}
