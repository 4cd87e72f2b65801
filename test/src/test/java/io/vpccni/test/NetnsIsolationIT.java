package io.vpccni.test;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import io.vpccni.ipamd.testing.Ip;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Proves the launcher that every kernel test runs under: a veth pair and a policy rule made by the test
 * exist in the test's namespace and nowhere on the host. The host is observed, read-only, through the
 * netns of this JVM's parent: the Maven process that forked it outside the private namespace.
 */
@EnabledIfSystemProperty(named = "vpccni.netns", matches = "private", disabledReason = "needs root and test/bin/java-in-netns")
class NetnsIsolationIT {
    private static final String HOST_NETNS = "/proc/" + ProcessHandle.current().parent().orElseThrow().pid() + "/ns/net";
    private static final List<String> HOST = List.of("nsenter", "--net=" + HOST_NETNS);

    @Test
    void kernelChangesStayInsideTheTestNamespace() throws IOException {
        assertNotEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/net")), Files.readSymbolicLink(Path.of(HOST_NETNS)),
                "the test JVM must not share the host's network namespace");
        var hostLinks = onHost("ip", "-o", "link", "show");
        var hostRules = onHost("ip", "rule", "show");

        Ip.run("link", "add", "vpccni-t0", "type", "veth", "peer", "name", "vpccni-t1");
        Ip.run("rule", "add", "from", "10.99.0.1", "lookup", "100", "priority", "1536");
        try {
            assertTrue(Ip.run("-o", "link", "show").contains("vpccni-t0"));
            assertTrue(Ip.run("rule", "show").contains("from 10.99.0.1 lookup 100"));
            // /sys is this namespace's too, so code that reads /sys/class/net sees the test's links.
            assertTrue(Files.exists(Path.of("/sys/class/net/vpccni-t0")));

            assertEquals(names(hostLinks), names(onHost("ip", "-o", "link", "show")));
            assertEquals(hostRules, onHost("ip", "rule", "show"));
            assertFalse(onHost("ip", "-o", "link", "show").contains("vpccni-t0"));
        } finally {
            Ip.run("rule", "del", "priority", "1536");
            Ip.run("link", "del", "vpccni-t0");
        }
    }

    private static String onHost(String... command) {
        var cmd = new ArrayList<>(HOST);
        cmd.addAll(List.of(command));
        return Ip.exec(cmd);
    }

    /** Link names only: counters and states of host links may change while the test runs. */
    private static List<String> names(String links) {
        return links.lines().map(l -> l.split(": ")[1].split("@")[0]).sorted().toList();
    }
}
