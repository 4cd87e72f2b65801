package io.vpccni.cni;

import io.vpccni.ipamd.pod.Drift;
import io.vpccni.ipamd.pool.AttachmentKey;
import io.vpccni.ipamd.testing.TestDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The verbs end to end in-process: plugin → hand-written gRPC → the daemon's real server → in-memory pool. */
class PluginVerbsTest {
    private static final String CONTAINER = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
    private static final String PREV = ",\"prevResult\":{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eni0123456789a\","
            + "\"mac\":\"02:00:00:00:00:01\"},{\"name\":\"eth0\",\"mac\":\"0a:58:00:00:00:02\",\"sandbox\":\"/var/run/netns/cni-7f3a\"}],"
            + "\"ips\":[{\"address\":\"10.0.1.5/32\",\"gateway\":\"169.254.1.1\",\"interface\":1}],\"dns\":{}}";

    @TempDir
    Path dir;
    private TestDaemon daemon;

    @BeforeEach
    void start() throws IOException {
        daemon = new TestDaemon(dir.resolve("ipamd.sock"), "10.0.1.5", "10.0.1.6");
    }

    @AfterEach
    void stop() throws IOException {
        daemon.close();
    }

    private PluginRun call(String command, String cniVersion, String extra) {
        var run = new PluginRun(command, dir.resolve("plugin.log"));
        run.stdin = PluginRun.conf(cniVersion, daemon.server.socket(), dir.resolve("plugin.log"), extra);
        return run;
    }

    private static final AttachmentKey KEY = new AttachmentKey("aws-cni", CONTAINER, "eth0");

    @ParameterizedTest
    @ValueSource(strings = {"0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"})
    @SuppressWarnings("unchecked")
    void addPrintsAResultShapedForTheRequestedVersion(String version) {
        var run = call("ADD", version, "").run();
        assertEquals(0, run.exit, run.stdout);
        var result = run.json();
        assertEquals(version, result.get("cniVersion"));
        var interfaces = (List<Map<String, Object>>) result.get("interfaces");
        assertEquals("eni0123456789a", interfaces.get(0).get("name"));
        assertFalse(interfaces.get(0).containsKey("sandbox"));
        assertEquals("eth0", interfaces.get(1).get("name"));
        assertEquals("/var/run/netns/cni-7f3a", interfaces.get(1).get("sandbox"));
        var ip = ((List<Map<String, Object>>) result.get("ips")).getFirst();
        assertEquals("10.0.1.5/32", ip.get("address"));
        assertEquals("169.254.1.1", ip.get("gateway"));
        assertEquals(1L, ip.get("interface"));
        assertEquals(version.startsWith("0.") ? "4" : null, ip.get("version"));
        var pod = daemon.allocator.find(KEY).orElseThrow().pod();
        assertEquals("shop", pod.namespace());
        assertEquals("web-0", pod.name());
        assertEquals("u-1", pod.uid());
    }

    @Test
    void delIsIdempotentAndSucceedsWithoutANetns() {
        assertEquals(0, call("ADD", "1.0.0", "").run().exit);
        var del = call("DEL", "1.0.0", PREV);
        del.env.put("CNI_NETNS", "");
        del.run();
        assertEquals(0, del.exit, del.stdout);
        assertEquals("", del.stdout);
        assertTrue(daemon.allocator.find(KEY).isEmpty());
        var prev = daemon.wiring.tornDown.getFirst().prevResult();
        assertEquals("eni0123456789a", prev.interfaces().hostVethName());
        assertEquals("10.0.1.5", prev.firstIp());

        var again = call("DEL", "1.0.0", "").run();
        assertEquals(0, again.exit, again.stdout);
        assertEquals(2, daemon.wiring.tornDown.size());
    }

    @Test
    void delKeepsTheAddressWhenTeardownFailsSoTheRuntimeRetries() {
        call("ADD", "1.0.0", "").run();
        daemon.wiring.failTearDown = "RTM_DELRULE 1536 from 10.0.1.5 table 2: EPERM";
        var del = call("DEL", "1.0.0", PREV).run();
        assertEquals(999, del.code(), del.stdout);
        assertTrue(del.msg().contains("EPERM"));
        assertTrue(daemon.allocator.find(KEY).isPresent());
    }

    @Test
    void addWhenThePoolIsEmptyIsTryAgainLater() {
        daemon.allocator.notReady("the pool is growing: 1 ENI attaching");
        var run = call("ADD", "1.0.0", "").run();
        assertEquals(11, run.code());
        assertTrue(run.msg().contains("the pool is growing"), run.msg());
    }

    @Test
    void checkPassesWhenHealthyAndNamesEveryDrift() {
        call("ADD", "1.0.0", "").run();
        var healthy = call("CHECK", "1.0.0", PREV).run();
        assertEquals(0, healthy.exit, healthy.stdout);
        assertEquals("", healthy.stdout);

        daemon.wiring.drifts = List.of(new Drift("rule 1536 from 10.0.1.5", "lookup table 2", "missing"),
                new Drift("neighbour 169.254.1.1 in the pod", "02:00:00:00:00:01", "02:00:00:00:00:09"));
        var drifted = call("CHECK", "1.0.0", PREV).run();
        assertEquals(999, drifted.code());
        assertTrue(drifted.msg().contains("2 difference(s)"), drifted.msg());
        var details = (String) drifted.json().get("details");
        assertTrue(details.contains("rule 1536 from 10.0.1.5: expected lookup table 2, found missing"), details);
        assertTrue(details.contains("neighbour 169.254.1.1"), details);
    }

    @Test
    void statusReportsReadinessAndTheReasonWhenNot() {
        assertEquals(0, call("STATUS", "1.1.0", "").run().exit);
        daemon.allocator.notReady("no ENI has free addresses yet");
        var run = call("STATUS", "1.1.0", "").run();
        assertEquals(50, run.code());
        assertTrue(run.msg().contains("no ENI has free addresses yet"), run.msg());
    }

    @Test
    void gcReleasesWhatIsNotAValidAttachment() {
        call("ADD", "1.1.0", "").run();
        var other = call("ADD", "1.1.0", "");
        other.env.put("CNI_CONTAINERID", "stale");
        other.run();
        var gc = call("GC", "1.1.0", ",\"cni.dev/valid-attachments\":[{\"containerID\":\"" + CONTAINER + "\",\"ifname\":\"eth0\"}]").run();
        assertEquals(0, gc.exit, gc.stdout);
        assertTrue(daemon.allocator.find(KEY).isPresent());
        assertTrue(daemon.allocator.find(new AttachmentKey("aws-cni", "stale", "eth0")).isEmpty());
    }

    @Test
    void gcWithoutTheValidAttachmentsKeyReleasesNothing() {
        call("ADD", "1.1.0", "").run();
        var gc = call("GC", "1.1.0", "").run();
        assertEquals(7, gc.code(), gc.stdout);
        assertTrue(gc.msg().contains("\"cni.dev/valid-attachments\""), gc.msg());
        assertTrue(daemon.allocator.find(KEY).isPresent());
    }

    @Test
    void gcWithoutTheValidAttachmentsKeyNeverConnects() throws IOException {
        var socket = dir.resolve("watched.sock");
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            server.configureBlocking(false);
            var gc = new PluginRun("GC", dir.resolve("plugin.log"));
            gc.stdin = PluginRun.conf("1.1.0", socket, dir.resolve("plugin.log"), ",\"ipamdTimeoutMs\":300");
            gc.run();
            assertEquals(7, gc.code(), gc.stdout);
            // Any connection the plugin made would wait in the accept queue.
            assertNull(server.accept(), "the plugin connected to the daemon");
        }
    }

    @Test
    void gcWithAnEmptyListReleasesEveryAttachmentOfItsNetworkAndNoOther() {
        call("ADD", "1.1.0", "").run();
        var other = new PluginRun("ADD", dir.resolve("plugin.log"));
        other.stdin = PluginRun.conf("1.1.0", daemon.server.socket(), dir.resolve("plugin.log"), "").replace("\"name\":\"aws-cni\"", "\"name\":\"other\"");
        assertEquals(0, other.run().exit, other.stdout);

        var gc = call("GC", "1.1.0", ",\"cni.dev/valid-attachments\":[]").run();
        assertEquals(0, gc.exit, gc.stdout);
        assertTrue(daemon.allocator.find(KEY).isEmpty());
        assertTrue(daemon.allocator.find(new AttachmentKey("other", CONTAINER, "eth0")).isPresent());
    }

    @Test
    void eachCallLogsOneLine() throws IOException {
        call("ADD", "1.0.0", "").run();
        call("DEL", "1.0.0", "").run();
        var lines = Files.readAllLines(dir.resolve("plugin.log"));
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).contains("\"verb\":\"ADD\"") && lines.get(0).contains("\"outcome\":\"ok\"")
                && lines.get(0).contains("\"ip\":\"10.0.1.5\""), lines.get(0));
        assertTrue(lines.get(1).contains("\"verb\":\"DEL\""), lines.get(1));
    }
}
