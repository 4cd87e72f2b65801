package io.vpccni.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The shipped executables as the build laid them out, and how a runtime or the DaemonSet starts them. */
public final class Executables {
    static final Path AGENT = Path.of(System.getProperty("vpccni.dist.agent", "../ipamd/target/dist/aws-k8s-agent"));
    static final Path PLUGIN = Path.of(System.getProperty("vpccni.dist.plugin", "../cni-plugin/target/dist/aws-cni"));

    private Executables() {
    }

    public record Result(int exit, String stdout, String stderr) {
    }

    /** Runs the built aws-cni with only the CNI environment a runtime gives it, and {@code stdin}. */
    static Result plugin(Map<String, String> env, String stdin) throws IOException, InterruptedException {
        return plugin(PLUGIN, env, stdin);
    }

    /** Runs an aws-cni launcher with only the CNI environment a runtime gives it, and {@code stdin}. */
    public static Result plugin(Path plugin, Map<String, String> env, String stdin) throws IOException, InterruptedException {
        var pb = new ProcessBuilder(plugin.toAbsolutePath().toString());
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        pb.environment().putAll(env);
        var p = pb.start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        var err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out, err);
    }

    /** Starts aws-k8s-agent on {@code socket}, its output in {@code log}, without waiting. */
    static Process agentProcess(Path socket, Path log) throws IOException {
        return agentProcess(Map.of("IPAMD_SOCKET_PATH", socket.toString()), log);
    }

    /** Starts aws-k8s-agent with {@code env} added to this process's environment. */
    static Process agentProcess(Map<String, String> env, Path log) throws IOException {
        var pb = new ProcessBuilder(AGENT.toAbsolutePath().toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // A test machine that is itself a pod must not hand the daemon its API server: only the test says which.
        pb.environment().keySet().removeIf(name -> name.startsWith("KUBERNETES_") || name.equals("KUBECONFIG"));
        pb.environment().put("AWS_K8S_AGENT_CDS_ARCHIVE", CDS_ARCHIVE);
        pb.environment().put("AWS_VPC_K8S_CNI_LOG_FILE", "stdout");  // the tests read the daemon's log from its output
        pb.environment().putAll(env);
        return pb.start();
    }

    /** Kept in the build tree, so the tests never write under /var/run and later daemon starts are faster. */
    private static final String CDS_ARCHIVE = Path.of("target/aws-k8s-agent.jsa").toAbsolutePath().toString();

    /** Starts aws-k8s-agent and waits until it serves on {@code socket}. */
    static Process agent(Path socket, Path log) throws IOException, InterruptedException {
        var p = agentProcess(socket, log);
        var deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(socket) || !Files.readString(log).contains("serving gRPC")) {
            if (!p.isAlive()) {
                throw new IllegalStateException("aws-k8s-agent exited with " + p.exitValue() + ": " + Files.readString(log));
            }
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IllegalStateException("aws-k8s-agent did not serve within 30 s: " + Files.readString(log));
            }
            Thread.sleep(20);
        }
        return p;
    }
}
