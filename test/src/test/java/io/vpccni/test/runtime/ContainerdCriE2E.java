package io.vpccni.test.runtime;

import io.vpccni.test.runtime.cri.PodSandboxState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * containerd 1.6's CRI plugin on a simulated node with the real daemon, driven as the kubelet drives it: pod
 * sandboxes get distinct addresses of the node's ENIs, across ENIs, and serve through a port mapping (portmap);
 * StopPodSandbox and RemovePodSandbox (whose DEL has an empty netns) succeed, every address is released and
 * nothing is left behind.
 */
@EnabledIfSystemProperty(named = "vpccni.netns", matches = "private", disabledReason = "needs root and test/bin/java-in-netns")
class ContainerdCriE2E {
    private static final int SANDBOXES = 12;
    private static final int HOST_PORT = 18081;

    @TempDir
    Path dir;

    @Test
    void podSandboxesGetEniAddressesServeAMappedPortAndLeaveNothingBehindOnRemoval() throws Exception {
        try (var node = RuntimeNode.start("cri", dir, SANDBOXES + 2)) {
            var store = PodmanStore.create(node.cni.binDir, node.cni.confDir, dir);
            var archive = BusyboxImage.ociArchive(store);
            try (var containerd = Containerd.start(dir, node.cni, archive); var cri = new CriClient(containerd.socket)) {
                var version = cri.version();
                System.out.println("runtime tier: " + version.getRuntimeName() + " " + version.getRuntimeVersion()
                        + " (CRI " + version.getRuntimeApiVersion() + ")");
                var times = new SetupTimes("CRI RunPodSandbox (CNI ADD included)");
                var sandboxes = new LinkedHashMap<String, String>();  // id -> address
                try {
                    for (var i = 1; i <= SANDBOXES; i++) {
                        var ports = i == 1 ? List.of(new CriClient.HostPort(8080, HOST_PORT)) : List.<CriClient.HostPort>of();
                        var start = System.nanoTime();
                        var id = cri.runPodSandbox("e2e", "pod-" + i, ports);
                        times.add(Duration.ofNanos(System.nanoTime() - start));
                        var status = cri.status(id);
                        assertEquals(PodSandboxState.SANDBOX_READY, status.getState(), "pod-" + i + " is ready");
                        sandboxes.put(id, status.getNetwork().getIp());
                    }
                    var ips = List.copyOf(sandboxes.values());
                    assertEquals(SANDBOXES, new HashSet<>(ips).size(), "distinct addresses: " + ips);
                    var enis = new HashSet<String>();
                    for (var ip : ips) {
                        enis.add(node.node.eniHolding(ip).orElseThrow(() -> new AssertionError("no ENI holds " + ip)).id());
                    }
                    assertTrue(enis.size() >= 2, "addresses from at least two ENIs: " + enis);
                    var pods = RuntimeNode.introspectedPodIps();
                    assertTrue(pods.containsAll(ips), "the daemon's /v1/pods lists every sandbox: " + pods);

                    var first = ips.getFirst();
                    var direct = Command.of(WhoamiServer.fetch("http://" + first + ":8080/cgi-bin/whoami", false)).run();
                    assertTrue(direct.ok(), "the node reaches pod-1 at its address: " + direct.output());
                    var inVpc = new ArrayList<>(List.of("ip", "netns", "exec", "vpc-cri"));
                    inVpc.addAll(WhoamiServer.fetch("http://" + node.primaryIp() + ":" + HOST_PORT + "/cgi-bin/whoami", false));
                    var mapped = Command.of(inVpc).run();
                    assertTrue(mapped.ok(), "pod-1's port mapping, from the VPC, through portmap: " + mapped.output());
                    assertEquals(OutsideWorld.ROUTER, mapped.output().strip(), "the VPC's client reached pod-1 unchanged");

                    var running = NodeLeftovers.of(ips);  // the check below must see what pods leave, or its "nothing" means nothing
                    assertEquals(SANDBOXES, NodeLeftovers.count(running, "veth"), "a host veth per pod: " + running);
                    assertEquals(SANDBOXES, NodeLeftovers.count(running, "netns"), "a namespace per pod: " + running);
                    assertTrue(NodeLeftovers.count(running, "rule") >= SANDBOXES, "rules for each pod: " + running);
                    assertEquals(1, NodeLeftovers.count(running, "portmap chain"), "one published pod: " + running);

                    for (var id : List.copyOf(sandboxes.keySet())) {
                        cri.stop(id);
                        cri.remove(id);
                        sandboxes.remove(id);
                    }
                    node.node.await(Duration.ofSeconds(30), "every address released", () -> node.assignedIps() == 0,
                            () -> "assigned " + node.assignedIps());
                    var after = RuntimeNode.introspectedPodIps();
                    assertTrue(ips.stream().noneMatch(after::contains), "/v1/pods lists none of them: " + after);
                    assertEquals(List.of(), NodeLeftovers.of(ips), "nothing left behind");
                    var calls = PluginCalls.in(node.cni.pluginLog);
                    var secondDels = calls.of("DEL").stream().filter(c -> c.netns() == null || c.netns().isEmpty()).toList();
                    assertEquals(SANDBOXES, secondDels.size(), "RemovePodSandbox's DEL with an empty netns, once per sandbox: " + calls);
                    assertTrue(secondDels.stream().allMatch(PluginCalls.Call::ok), "and each succeeded: " + secondDels);
                    System.out.println(times.summary() + "; across " + enis.size() + " ENIs");
                    System.out.println(calls.times("ADD", "aws-cni ADD under containerd, as the plugin logs it").summary());
                } finally {
                    for (var id : sandboxes.keySet()) {  // after a failure: what is left must not outlive the test
                        try {
                            cri.stop(id);
                            cri.remove(id);
                        } catch (RuntimeException e) {
                            System.err.println("runtime tier: could not remove sandbox " + id + ": " + e);
                        }
                    }
                }
            }
        }
    }
}
