package io.vpccni.test.sandbox;

import io.vpccni.ipamd.install.CniConfig;
import io.vpccni.ipamd.install.Conflist;
import io.vpccni.test.node.SimulatedNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The sandbox's node as {@code aws-k8s-agent doctor} sees it: the guard's and the doctor's directories are the
 * sandbox's own (so it reads no host state), then one deliberately broken case, a .network file that claims a spare
 * ENI as nodeadm's files do, which the guard refuses and the doctor reports with the fix.
 */
final class SandboxDoctor {
    private final Path agent;
    private final Path work;
    private final Map<String, String> daemonEnv = new HashMap<>();

    SandboxDoctor(Path agent, Path work) {
        this.agent = agent;
        this.work = work;
    }

    /** What the daemon and the doctor share: the node's directories as the chart mounts them, here the sandbox's. */
    Map<String, String> env(Path socket) throws IOException {
        var conflist = Files.createDirectories(work.resolve("net.d"));
        Files.writeString(conflist.resolve("10-aws.conflist"), Conflist.render(CniConfig.fromEnv(Map.of("IPAMD_SOCKET_PATH", socket.toString()))));
        var env = Map.of("GUARD_NETWORK_DIRS", Files.createDirectories(work.resolve("network")).toString(),
                "GUARD_NETWORKD_LINKS_DIR", Files.createDirectories(work.resolve("netif-links")).toString(),
                "GUARD_NETWORKMANAGER_DEVICES_DIR", work.resolve("nm-devices").toString(),
                "DOCTOR_SYSTEMD_SYSTEM_DIR", Files.createDirectories(work.resolve("systemd-system")).toString(),
                "HOST_CNI_CONFDIR_PATH", conflist.toString());
        Files.writeString(Path.of("/proc/sys/net/ipv4/ip_forward"), "1");  // the sandbox's namespace, as kubelet's node has it
        return env;
    }

    void daemonEnv(Map<String, String> env) {
        daemonEnv.putAll(env);
    }

    /** The doctor's summary on the healthy node, then on the broken one with the problem it finds. */
    void printCheckups(SimulatedNode node) throws IOException, InterruptedException {
        var healthy = run();
        System.out.printf("%naws-k8s-agent doctor (exit %d): %s%n", healthy.exit(), summary(healthy.report()));
        healthy.report().lines().filter(l -> l.startsWith("PROBLEM") || l.startsWith("WARNING")).forEach(l -> System.out.println("  " + l));

        var spare = node.account.instance(node.instanceId).networkInterfaces().stream()
                .filter(e -> e.attachment().orElseThrow().deviceIndex() > 0).reduce((a, b) -> b);
        if (spare.isEmpty()) {
            return;
        }
        var eni = spare.get();
        Files.writeString(work.resolve("network").resolve("70-eks-" + eni.id() + ".network"),
                "[Match]\nMACAddress=" + eni.macAddress() + "\n\n[Network]\nDHCP=yes\n");
        var end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Run broken;
        do {  // the guard notices through inotify within milliseconds; the doctor then sees its refusal
            Thread.sleep(100);
            broken = run();
        } while (!broken.report().contains("PROBLEM eni-owner: " + eni.id()) && System.nanoTime() < end);
        System.out.printf("%na .network file now claims %s (as nodeadm's 70-eks-*.network do); the doctor (exit %d): %s%n",
                eni.id(), broken.exit(), summary(broken.report()));
        var block = new ArrayList<String>();
        var inBlock = false;
        for (var line : broken.report().lines().toList()) {
            inBlock = line.startsWith("PROBLEM eni-owner") || inBlock && line.startsWith("  ");
            if (inBlock) {
                block.add("  " + line);
            }
        }
        block.forEach(System.out::println);
    }

    private static String summary(String report) {
        var lines = report.lines().toList();
        return lines.isEmpty() ? "(no report)" : lines.getLast();
    }

    private record Run(int exit, String report) {
    }

    private Run run() throws IOException, InterruptedException {
        var pb = new ProcessBuilder(List.of(agent.toString(), "doctor")).redirectError(work.resolve("doctor.err").toFile());
        pb.environment().keySet().removeIf(name -> name.startsWith("KUBERNETES_") || name.equals("KUBECONFIG"));
        pb.environment().putAll(daemonEnv);
        var process = pb.start();
        var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return new Run(process.exitValue(), out);
    }
}
