package io.vpccni.cni;

import io.vpccni.cni.json.Json;
import io.vpccni.ipamd.net.NetNs;
import io.vpccni.ipamd.net.RtNetlink;
import io.vpccni.ipamd.pod.KernelPodWiring;
import io.vpccni.ipamd.pod.LinkReaper;
import io.vpccni.ipamd.testing.Ip;
import io.vpccni.ipamd.testing.KernelState;
import io.vpccni.ipamd.testing.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged aws-cni exec'd exactly as a runtime does, in a fresh netns, against the daemon's real
 * server with the real kernel wiring: the pod comes up with its address, gateway and ARP entry, CHECK
 * passes, and DEL leaves the node as it was.
 */
@EnabledIfSystemProperty(named = "vpccni.netns", matches = "private", disabledReason = "needs root and test/bin/java-in-netns")
class AwsCniWiresAPodIT {
    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void aRuntimeGetsAWorkingPod() throws Exception {
        var before = KernelState.capture();
        Ip.run("netns", "add", "cni-runtime-pod");
        var reaper = new LinkReaper(RtNetlink.open());
        try (var hostNs = NetNs.current(); var host = RtNetlink.open();
             var daemon = new TestDaemon(dir.resolve("ipamd.sock"), new KernelPodWiring(host, hostNs, RtNetlink::openIn, reaper, "eni",
                     new io.vpccni.ipamd.owned.OwnershipRegistry()),
                     "10.0.1.5")) {
            var conf = PluginRun.conf("1.0.0", daemon.server.socket(), dir.resolve("plugin.log"), "");
            var env = Map.of("CNI_COMMAND", "ADD", "CNI_CONTAINERID", "f00d", "CNI_NETNS", "/run/netns/cni-runtime-pod",
                    "CNI_IFNAME", "eth0", "CNI_PATH", "/opt/cni/bin", "CNI_ARGS", "K8S_POD_NAMESPACE=shop;K8S_POD_NAME=cart-0");
            var add = AwsCniExecutableIT.exec(Path.of("target/dist/aws-cni"), env, conf);
            assertEquals(0, add.exit(), add.stdout() + add.stderr());
            var result = (Map<String, Object>) Json.parse(add.stdout());
            var hostVeth = (String) ((List<Map<String, Object>>) result.get("interfaces")).getFirst().get("name");
            var hostMac = (String) ((List<Map<String, Object>>) result.get("interfaces")).getFirst().get("mac");

            assertTrue(Ip.in("cni-runtime-pod", "-4", "addr", "show", "eth0").contains("inet 10.0.1.5/32"));
            assertTrue(Ip.in("cni-runtime-pod", "route", "show").contains("default via 169.254.1.1 dev eth0"));
            assertTrue(Ip.in("cni-runtime-pod", "neigh", "show").contains("169.254.1.1 dev eth0 lladdr " + hostMac + " PERMANENT"));
            assertTrue(Ip.run("route", "show").contains("10.0.1.5 dev " + hostVeth + " scope link"));

            var check = new java.util.HashMap<>(env);
            check.put("CNI_COMMAND", "CHECK");
            var prev = PluginRun.conf("1.0.0", daemon.server.socket(), dir.resolve("plugin.log"), ",\"prevResult\":" + add.stdout());
            var checked = AwsCniExecutableIT.exec(Path.of("target/dist/aws-cni"), check, prev);
            assertEquals(0, checked.exit(), checked.stdout());

            var del = new java.util.HashMap<>(env);
            del.put("CNI_COMMAND", "DEL");
            var deleted = AwsCniExecutableIT.exec(Path.of("target/dist/aws-cni"), del, prev);
            assertEquals(0, deleted.exit(), deleted.stdout());
        } finally {
            Ip.quietly("netns", "del", "cni-runtime-pod");
            reaper.close();
        }
        assertEquals(before, KernelState.capture());
    }
}
