package io.vpccni.test;

import io.vpccni.ipamd.testing.Ip;
import io.vpccni.test.node.SimulatedNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole product on a simulated node: the real aws-k8s-agent against the simulated cloud, pods through the
 * real aws-cni. The daemon is SIGKILLed in the middle of a burst of ADDs and started again: every pod that
 * had an address keeps it (CHECK passes), no address is handed out twice, and no ENI leaks.
 */
class DaemonCrashE2E {
    private static final Pattern IP = Pattern.compile("\"address\":\"([0-9.]+)/32\"");
    private static final int PODS = 24;

    @TempDir
    Path dir;

    private Map<String, String> env(String command, int pod) {
        return Map.of("CNI_COMMAND", command, "CNI_CONTAINERID", "crash-" + pod, "CNI_NETNS", "/run/netns/crash-" + pod,
                "CNI_IFNAME", "eth0", "CNI_PATH", "/opt/cni/bin", "CNI_ARGS", "K8S_POD_NAMESPACE=crash;K8S_POD_NAME=pod-" + pod);
    }

    private String conf(Path socket, String prev) {
        return "{\"cniVersion\":\"1.1.0\",\"name\":\"aws-cni\",\"type\":\"aws-cni\",\"pluginLogFile\":\"" + dir.resolve("plugin.log")
                + "\",\"ipamdSocket\":\"" + socket + "\"" + prev + "}";
    }

    @Test
    void aKilledDaemonComesBackWithEveryPodsAddressAndNothingLeaks() throws Exception {
        Ip.run("netns", "add", "vpc-crash");
        var socket = dir.resolve("ipamd.sock");
        var checkpoint = dir.resolve("ipam.json");
        try (var node = new SimulatedNode("m5.xlarge", "10.0.1.0/24", Path.of("/run/netns/vpc-crash"), InstantSource.system())) {
            var daemonEnv = node.daemonEnv(socket, checkpoint);
            var daemon = Executables.agentProcess(daemonEnv, dir.resolve("agent-1.log"));
            var results = new ConcurrentHashMap<Integer, String>();
            var pool = Executors.newFixedThreadPool(4);
            var futures = new ArrayList<Future<?>>();
            for (var i = 0; i < PODS; i++) {
                var pod = i;
                Ip.run("netns", "add", "crash-" + pod);
                futures.add(pool.submit(() -> {
                    results.put(pod, addLikeKubelet(socket, pod));
                    return null;
                }));
            }
            while (results.size() < PODS / 3) {
                Thread.sleep(20);
            }
            daemon.destroyForcibly();  // SIGKILL in the middle of the burst
            assertTrue(daemon.waitFor(10, TimeUnit.SECONDS));
            var restarted = Executables.agentProcess(daemonEnv, dir.resolve("agent-2.log"));
            try {
                for (var f : futures) {
                    f.get(120, TimeUnit.SECONDS);
                }
                pool.shutdown();
                var ips = new HashSet<String>();
                for (var i = 0; i < PODS; i++) {
                    var m = IP.matcher(results.get(i));
                    assertTrue(m.find(), "pod " + i + " got no address: " + results.get(i));
                    assertTrue(ips.add(m.group(1)), m.group(1) + " was handed out twice");
                    // The restarted daemon knows every pod, and the kernel still matches what the pod was told.
                    var check = Executables.plugin(env("CHECK", i), conf(socket, ",\"prevResult\":" + results.get(i)));
                    assertEquals(0, check.exit(), "CHECK of pod " + i + ": " + check.stdout());
                }
                var leaked = node.account.networkInterfaces().stream().filter(e -> e.attachment().isEmpty()).map(e -> e.id()).toList();
                assertEquals(List.of(), leaked, "ENIs created but attached to nothing");
            } finally {
                restarted.destroy();
                restarted.waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            for (var i = 0; i < PODS; i++) {
                Ip.quietly("netns", "del", "crash-" + i);
            }
            Ip.quietly("netns", "del", "vpc-crash");
        }
    }

    /** ADD as kubelet does it: on any failure of a retryable kind (code 11), try again. */
    private String addLikeKubelet(Path socket, int pod) throws Exception {
        var deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            var add = Executables.plugin(env("ADD", pod), conf(socket, ""));
            if (add.exit() == 0 || !add.stdout().contains("\"code\":11") || System.nanoTime() > deadline) {
                return add.stdout();
            }
            Thread.sleep(100);
        }
    }
}
