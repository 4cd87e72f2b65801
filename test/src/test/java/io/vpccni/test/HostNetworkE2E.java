package io.vpccni.test;

import io.vpccni.ipamd.testing.Ip;
import io.vpccni.test.node.SimulatedNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node-wide host networking of the real aws-k8s-agent on a simulated node: before its first pod it
 * has set rp_filter on the primary interface, written SNAT/CONNMARK to the iptables backend and added rule
 * 1024, and says so on its metrics endpoint; a restarted daemon finds everything in place and rewrites
 * nothing.
 */
class HostNetworkE2E {
    @TempDir
    Path dir;

    @Test
    void theDaemonSetsUpTheHostBeforeItsFirstPodAndARestartRewritesNothing() throws Exception {
        for (var save : List.of("iptables-legacy", "iptables-nft")) {  // other E2Es' daemons ran in this namespace
            for (var table : List.of("nat", "mangle")) {
                Ip.exec(List.of(save, "-t", table, "-F"));
                Ip.exec(List.of(save, "-t", table, "-X"));
            }
        }
        Ip.run("netns", "add", "vpc-hostnet");
        Ip.run("netns", "add", "hostnet-pod");
        var socket = dir.resolve("ipamd.sock");
        try (var node = new SimulatedNode("m5.large", "10.0.1.0/24", Path.of("/run/netns/vpc-hostnet"), InstantSource.system())) {
            var env = node.daemonEnv(socket, dir.resolve("ipam.json"));
            env.put("AWS_VPC_ENI_MTU", "8500");
            var primaryIp = node.account.instance(node.instanceId).primaryInterface().primaryIp();
            var daemon = Executables.agentProcess(env, dir.resolve("agent-1.log"));
            String rules;
            try {
                var add = addLikeKubelet(socket);
                assertTrue(add.contains("\"address\":\"10.0.1."), add);

                var metrics = scrapeUntil("awscni_assigned_ip_addresses 1.0");
                assertTrue(metrics.contains("awscni_iptables_mode{mode=\"nft\"} 1.0"), metrics);
                assertTrue(metrics.contains("awscni_nat_reconcile_total{result=\"applied\"} 1.0"), metrics);
                assertTrue(metrics.contains("awscni_build_info{"), metrics);
                rules = Ip.exec(List.of("iptables-nft-save"));
                assertTrue(rules.contains("-j SNAT --to-source " + primaryIp + " --random-fully"), rules);
                assertTrue(rules.contains("-A PREROUTING -i ens5 -m comment --comment \"AWS, primary ENI\""), rules);
                assertEquals("2", Files.readString(Path.of("/proc/sys/net/ipv4/conf/ens5/rp_filter")).strip());
                assertEquals("8500", Files.readString(Path.of("/sys/class/net/ens5/mtu")).strip(), "the primary ENI takes AWS_VPC_ENI_MTU");
                assertTrue(Ip.run("rule", "show").contains("1024:\tfrom all fwmark 0x80/0x80 lookup main"));
            } finally {
                daemon.destroy();  // SIGTERM, as the kubelet stops aws-node on every upgrade
                assertTrue(daemon.waitFor(10, TimeUnit.SECONDS));
            }
            var log = Files.readString(dir.resolve("agent-1.log"));
            assertTrue(log.contains("stopped serving on ") && log.contains("aws-k8s-agent stopped"),
                    "an orderly stop: " + log.lines().filter(l -> l.contains("stop")).toList());
            assertTrue(!Files.exists(socket), "the socket is removed");

            var restarted = Executables.agentProcess(env, dir.resolve("agent-2.log"));
            try {
                scrapeUntil("awscni_nat_reconcile_total{result=\"unchanged\"} 1.0");
                assertEquals(withoutComments(rules), withoutComments(Ip.exec(List.of("iptables-nft-save"))),
                        "the restarted daemon found its rules in place (the metric says it wrote nothing)");
                var del = Executables.plugin(cni("DEL"), conf(socket));
                assertEquals(0, del.exit(), del.stdout());
            } finally {
                restarted.destroy();
                restarted.waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            Ip.quietly("netns", "del", "hostnet-pod");
            Ip.quietly("netns", "del", "vpc-hostnet");
        }
    }

    private Map<String, String> cni(String command) {
        return Map.of("CNI_COMMAND", command, "CNI_CONTAINERID", "hostnet-1", "CNI_NETNS", "/run/netns/hostnet-pod",
                "CNI_IFNAME", "eth0", "CNI_PATH", "/opt/cni/bin", "CNI_ARGS", "K8S_POD_NAMESPACE=default;K8S_POD_NAME=web");
    }

    private String conf(Path socket) {
        return "{\"cniVersion\":\"1.1.0\",\"name\":\"aws-cni\",\"type\":\"aws-cni\",\"pluginLogFile\":\"" + dir.resolve("plugin.log")
                + "\",\"ipamdSocket\":\"" + socket + "\"}";
    }

    private String addLikeKubelet(Path socket) throws Exception {
        var deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            var add = Executables.plugin(cni("ADD"), conf(socket));
            if (add.exit() == 0 || !add.stdout().contains("\"code\":11") || System.nanoTime() > deadline) {
                return add.stdout();
            }
            Thread.sleep(100);
        }
    }

    /** Scrapes the daemon's metrics until a line appears (the daemon may still be starting). */
    /** With DISABLE_NETWORK_RESOURCE_PROVISIONING the pool never grows, but the guard and the healer still run. */
    @Test
    void withProvisioningDisabledTheHealerStillKeepsTheDaemonsRules() throws Exception {
        Ip.run("netns", "add", "vpc-noprov");
        var socket = dir.resolve("ipamd.sock");
        try (var node = new SimulatedNode("m5.large", "10.0.1.0/24", Path.of("/run/netns/vpc-noprov"), InstantSource.system())) {
            var env = node.daemonEnv(socket, dir.resolve("ipam.json"));
            env.put("DISABLE_NETWORK_RESOURCE_PROVISIONING", "true");
            var daemon = Executables.agentProcess(env, dir.resolve("agent-noprov.log"));
            try {
                scrapeUntil("awscni_restored_total{kind=\"rule\"} 0.0");  // the healer is up
                Ip.run("rule", "del", "priority", "1024");
                scrapeUntil("awscni_restored_total{kind=\"rule\"} 1.0");
                assertTrue(Ip.run("rule", "show").contains("1024:\tfrom all fwmark 0x80/0x80 lookup main"));
            } finally {
                daemon.destroy();
                assertTrue(daemon.waitFor(10, TimeUnit.SECONDS));
            }
        } finally {
            Ip.quietly("netns", "del", "vpc-noprov");
        }
    }

    private static String scrapeUntil(String line) throws Exception {
        var deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        var last = "";
        try (var client = HttpClient.newHttpClient()) {
            while (System.nanoTime() < deadline) {
                try {
                    last = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:61678/metrics")).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                    if (last.lines().anyMatch(line::equals)) {
                        return last;
                    }
                } catch (java.io.IOException e) {
                    last = e.toString();  // not listening yet
                }
                Thread.sleep(100);
            }
        }
        throw new AssertionError("no '" + line + "' in the daemon's metrics within 30 s:\n" + last);
    }

    private static String withoutComments(String save) {
        return save.lines().filter(l -> !l.startsWith("#")).reduce("", (a, b) -> a + b + "\n");
    }
}
