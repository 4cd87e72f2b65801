package io.vpccni.test;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
    private static final String[] HOST = {"nsenter", "--net=" + HOST_NETNS};

    @Test
    void kernelChangesStayInsideTheTestNamespace() throws IOException {
        assertNotEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/net")), Files.readSymbolicLink(Path.of(HOST_NETNS)),
                "the test JVM must not share the host's network namespace");
        var hostLinks = Shell.linkNames(HOST);
        var hostRules = Shell.run(concat(HOST, "ip", "rule", "show"));

        Shell.run("ip", "link", "add", "vpccni-t0", "type", "veth", "peer", "name", "vpccni-t1");
        Shell.run("ip", "rule", "add", "from", "10.99.0.1", "lookup", "100", "priority", "1536");
        try {
            assertTrue(Shell.linkNames().contains("vpccni-t0"));
            assertTrue(Shell.run("ip", "rule", "show").contains("from 10.99.0.1 lookup 100"));
            // /sys is this namespace's too, so code that reads /sys/class/net sees the test's links.
            assertTrue(Files.exists(Path.of("/sys/class/net/vpccni-t0")));

            assertEquals(hostLinks, Shell.linkNames(HOST));
            assertEquals(hostRules, Shell.run(concat(HOST, "ip", "rule", "show")));
            assertFalse(Shell.linkNames(HOST).contains("vpccni-t0"));
        } finally {
            Shell.run("ip", "rule", "del", "priority", "1536");
            Shell.run("ip", "link", "del", "vpccni-t0");
        }
    }

    private static String[] concat(String[] prefix, String... rest) {
        var all = new String[prefix.length + rest.length];
        System.arraycopy(prefix, 0, all, 0, prefix.length);
        System.arraycopy(rest, 0, all, prefix.length, rest.length);
        return all;
    }
}
