package io.vpccni.test.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * podman 4.3 (CNI backend) on a simulated node with the real daemon, its CNI directories as aws-node lays them
 * out: containers get distinct addresses of the node's ENIs, across ENIs; they reach each other and the node with
 * their own addresses, the outside world SNATed to the node's primary address, and a published port through
 * portmap. Removing them releases every address and leaves no veth, rule, namespace or portmap chain.
 */
@EnabledIfSystemProperty(named = "vpccni.netns", matches = "private", disabledReason = "needs root and test/bin/java-in-netns")
class PodmanE2E {
    private static final int CONTAINERS = 20;

    @TempDir
    Path dir;

    @Test
    void containersGetEniAddressesReachEachOtherTheNodeAndTheOutsideAndLeaveNothingBehind() throws Exception {
        try (var node = RuntimeNode.start("pm", dir, CONTAINERS + 2)) {
            var store = PodmanStore.create(node.cni.binDir, node.cni.confDir, dir);
            BusyboxImage.ensureIn(store);
            var podman = new PodmanContainers(store);
            podman.removeAll();
            var times = new SetupTimes("podman run -d (CNI ADD included)");
            var containers = new ArrayList<PodmanContainers.Container>();
            try {
                for (var i = 1; i <= CONTAINERS; i++) {
                    var c = i == 1 ? podman.start("web-1", "18080:8080") : podman.start("web-" + i);
                    containers.add(c);
                    times.add(c.started());
                }
                var ips = containers.stream().map(PodmanContainers.Container::ip).toList();
                assertEquals(CONTAINERS, new HashSet<>(ips).size(), "distinct addresses: " + ips);
                var eniOf = containers.stream().collect(Collectors.toMap(PodmanContainers.Container::name,
                        c -> node.node.eniHolding(c.ip()).orElseThrow(() -> new AssertionError(c + ": no ENI holds " + c.ip())).id()));
                var enis = new HashSet<>(eniOf.values());
                assertTrue(enis.size() >= 2, "addresses from at least two ENIs: " + eniOf);
                var pods = RuntimeNode.introspectedPodIps();
                assertTrue(pods.containsAll(ips), "the daemon's /v1/pods lists every container: " + pods);

                var first = containers.getFirst();
                var other = containers.stream().filter(c -> !eniOf.get(c.name()).equals(eniOf.get(first.name()))).findFirst().orElseThrow();
                assertEquals(first.ip(), body(podman.fetch(first, whoami(other))), "pod to pod across ENIs, its own address");
                assertEquals(other.ip(), body(podman.fetch(other, whoami(first))), "and back");
                assertEquals(first.ip(), body(podman.fetch(first, node.nodeUrl())), "pod to node");
                for (var c : List.of(first, other)) {
                    assertEquals(node.primaryIp(), body(podman.fetch(c, node.outsideUrl())),
                            "outside the VPC, " + c.name() + " (" + eniOf.get(c.name()) + ") is SNATed to the primary address");
                }
                var published = "http://" + node.primaryIp() + ":18080/cgi-bin/whoami";
                var inVpc = new ArrayList<>(List.of("ip", "netns", "exec", "vpc-pm"));
                inVpc.addAll(WhoamiServer.fetch(published, false));
                var fromOutside = Command.of(inVpc).run();
                assertEquals(OutsideWorld.ROUTER, body(fromOutside), "the published port, from the VPC, through portmap");
                var fromNode = Command.of(WhoamiServer.fetch(published, false)).run();
                assertTrue(fromNode.ok() && !body(fromNode).isEmpty(), "the published port, from the node: " + fromNode);

                var running = NodeLeftovers.of(ips);  // the check below must see what pods leave, or its "nothing" means nothing
                assertEquals(CONTAINERS, NodeLeftovers.count(running, "veth"), "a host veth per pod: " + running);
                assertEquals(CONTAINERS, NodeLeftovers.count(running, "netns"), "a namespace per pod: " + running);
                assertTrue(NodeLeftovers.count(running, "rule") >= CONTAINERS, "rules for each pod: " + running);
                assertEquals(1, NodeLeftovers.count(running, "portmap chain"), "one published pod: " + running);

                var removal = new SetupTimes("podman rm -f (CNI DEL included)");
                for (var c : List.copyOf(containers)) {
                    removal.add(podman.remove(c));
                    containers.remove(c);
                }
                node.node.await(Duration.ofSeconds(30), "every address released", () -> node.assignedIps() == 0,
                        () -> "assigned " + node.assignedIps());
                var after = RuntimeNode.introspectedPodIps();
                assertTrue(ips.stream().noneMatch(after::contains), "/v1/pods lists none of them: " + after);
                assertEquals(List.of(), NodeLeftovers.of(ips), "nothing left behind");
                System.out.println(times.summary() + "; across " + enis.size() + " ENIs");
                System.out.println(removal.summary());
                System.out.println(PluginCalls.in(node.cni.pluginLog).times("ADD", "aws-cni ADD under podman, as the plugin logs it").summary());
            } finally {
                for (var c : containers) {  // after a failure: what is left must not outlive the test
                    try {
                        podman.remove(c);
                    } catch (RuntimeException e) {
                        System.err.println("runtime tier: could not remove " + c + ": " + e);
                    }
                }
            }
        }
    }

    private static String whoami(PodmanContainers.Container c) {
        return "http://" + c.ip() + ":8080/cgi-bin/whoami";
    }

    /** The whoami answer: the output's last line (podman may warn before it); failures say what wget printed. */
    private static String body(Command.Result fetched) {
        if (!fetched.ok()) {
            throw new AssertionError(String.join(" ", fetched.argv()) + " failed: " + fetched.output());
        }
        var lines = fetched.output().strip().lines().toList();
        return lines.isEmpty() ? "" : lines.getLast().strip();
    }
}
