package io.vpccni.cni;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every kind of bad input gets one CNI error object on stdout, with the right code and a precise message. */
class BadInputTest {
    @TempDir
    static Path dir;

    private static Path log() {
        return dir.resolve("plugin.log");
    }

    private static String conf(String extra) {
        return PluginRun.conf("1.0.0", dir.resolve("no-daemon.sock"), log(), extra);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                bad("malformed JSON", "ADD", "{\"cniVersion\":\"1.0.0\",", r -> { }, 6, "cannot be decoded: "),
                bad("empty stdin", "ADD", "", r -> { }, 6, "stdin is empty"),
                bad("stdin over 1 MiB", "ADD", "{\"x\":\"" + "a".repeat(1 << 20) + "\"}", r -> { }, 6, "exceeds 1048576 bytes"),
                bad("JSON that is not an object", "ADD", "[1,2]", r -> { }, 6, "must be a JSON object"),
                bad("missing CNI_COMMAND", "ADD", conf(""), r -> r.env.remove("CNI_COMMAND"), 4, "CNI_COMMAND is missing"),
                bad("unknown CNI_COMMAND", "ATTACH", conf(""), r -> { }, 4, "unknown CNI_COMMAND 'ATTACH'"),
                bad("unsupported cniVersion", "ADD", conf("").replace("1.0.0", "0.2.0"), r -> { }, 1,
                        "cniVersion \"0.2.0\" is not supported; supported: 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0"),
                bad("missing cniVersion", "ADD", "{\"name\":\"aws-cni\"}", r -> { }, 1, "has no cniVersion"),
                bad("missing CNI_CONTAINERID on ADD", "ADD", conf(""), r -> r.env.remove("CNI_CONTAINERID"), 4,
                        "CNI_CONTAINERID is missing for ADD"),
                bad("missing CNI_IFNAME on ADD", "ADD", conf(""), r -> r.env.put("CNI_IFNAME", ""), 4, "CNI_IFNAME is missing for ADD"),
                bad("missing CNI_NETNS on ADD", "ADD", conf(""), r -> r.env.remove("CNI_NETNS"), 4, "CNI_NETNS is missing for ADD"),
                bad("interface name over 15 bytes", "ADD", conf(""), r -> r.env.put("CNI_IFNAME", "eth0123456789abc"), 4,
                        "is 16 bytes; Linux interface names are at most 15"),
                bad("interface name with a slash", "ADD", conf(""), r -> r.env.put("CNI_IFNAME", "eth/0"), 4, "contains '/'"),
                bad("malformed CNI_ARGS", "ADD", conf(""), r -> r.env.put("CNI_ARGS", "K8S_POD_NAME=a;garbage"), 4,
                        "CNI_ARGS is malformed: 'garbage' is not KEY=VALUE"),
                bad("prevResult of the wrong shape", "DEL", conf(",\"prevResult\":{\"ips\":\"10.0.0.1\"}"), r -> { }, 6,
                        "\"prevResult.ips\" must be a JSON list"),
                bad("prevResult interface index out of range", "DEL",
                        conf(",\"prevResult\":{\"interfaces\":[],\"ips\":[{\"address\":\"10.0.0.1/32\",\"interface\":3}]}"), r -> { }, 6,
                        "prevResult.ips[0].interface 3 does not index prevResult.interfaces"),
                bad("MTU out of range", "ADD", conf("").replace("\"mtu\":\"9001\"", "\"mtu\":\"70000\""), r -> { }, 7,
                        "\"mtu\" must be a number from 576 to 9001, got \"70000\""),
                bad("veth prefix too long", "ADD", conf("").replace("\"vethPrefix\":\"eni\"", "\"vethPrefix\":\"toolong\""), r -> { }, 7,
                        "\"vethPrefix\" must be 1 to 4 characters"),
                bad("unknown podSGEnforcingMode", "ADD", conf(",\"podSGEnforcingMode\":\"lax\""), r -> { }, 7,
                        "\"podSGEnforcingMode\" must be one of strict, standard, got \"lax\""),
                bad("log to stdout", "ADD", conf("").replace("\"pluginLogFile\":\"" + log() + "\"", "\"pluginLogFile\":\"stdout\""),
                        r -> { }, 7, "may not be stdout"),
                bad("a million-digit number", "ADD", conf("").replace("\"mtu\":\"9001\"", "\"mtu\":" + "9".repeat(1_000_000)),
                        r -> { }, 6, "the number in \"mtu\" is 1000000 characters long; numbers longer than 100 characters are refused"),
                bad("a long number deep inside", "ADD", conf(",\"runtimeConfig\":{\"portMappings\":[{\"hostPort\":" + "1".repeat(101) + "}]}"),
                        r -> { }, 6, "the number in \"hostPort\" is 101 characters long"),
                bad("a million-digit number in a string", "ADD", conf("").replace("\"mtu\":\"9001\"", "\"mtu\":\"" + "9".repeat(1_000_000) + "\""),
                        r -> { }, 7, "\"mtu\" must be a number from 576 to 9001, got \"999999999"),
                bad("ipamdTimeoutMs of 0", "ADD", conf(",\"ipamdTimeoutMs\":0"), r -> { }, 7,
                        "\"ipamdTimeoutMs\" must be a whole number of milliseconds from 1 to 600000, got 0"),
                bad("ipamdTimeoutMs over ten minutes", "ADD", conf(",\"ipamdTimeoutMs\":600001"), r -> { }, 7,
                        "from 1 to 600000, got 600001"),
                bad("ipamdTimeoutMs with a fraction", "ADD", conf(",\"ipamdTimeoutMs\":1.5"), r -> { }, 7, "from 1 to 600000, got 1.5"),
                bad("a network name over 1 KiB", "ADD", conf("").replace("\"name\":\"aws-cni\"", "\"name\":\"" + "n".repeat(1025) + "\""),
                        r -> { }, 7, "\"name\" is 1025 bytes long; at most 1024 are accepted"),
                bad("a socket path sun_path cannot hold", "ADD", PluginRun.conf("1.0.0", Path.of("/" + "s".repeat(107)), log(), ""),
                        r -> { }, 7, "\"ipamdSocket\" is 108 bytes long; at most 107 are accepted"),
                bad("CNI_CONTAINERID over 1 KiB", "ADD", conf(""), r -> r.env.put("CNI_CONTAINERID", "c".repeat(1025)), 4,
                        "CNI_CONTAINERID is 1025 bytes long; at most 1024 are accepted"),
                bad("CNI_NETNS over 4 KiB", "DEL", conf(""), r -> r.env.put("CNI_NETNS", "/" + "n".repeat(4096)), 4,
                        "CNI_NETNS is 4097 bytes long; at most 4096 are accepted"),
                bad("K8S_POD_NAME over 1 KiB, counted in bytes", "ADD", conf(""),
                        r -> r.env.put("CNI_ARGS", "K8S_POD_NAME=" + "é".repeat(513) + ";K8S_POD_NAMESPACE=shop"), 4,
                        "K8S_POD_NAME in CNI_ARGS is 1026 bytes long; at most 1024 are accepted"),
                bad("GC without cni.dev/valid-attachments", "GC", conf("").replace("1.0.0", "1.1.0"), r -> { }, 7,
                        "GC needs \"cni.dev/valid-attachments\", the attachments of network \"aws-cni\" still in use, and the configuration has none"),
                bad("GC with null for cni.dev/valid-attachments", "GC", conf(",\"cni.dev/valid-attachments\":null").replace("1.0.0", "1.1.0"),
                        r -> { }, 7, "GC needs \"cni.dev/valid-attachments\""),
                bad("GC with an attachment that names no interface", "GC",
                        conf(",\"cni.dev/valid-attachments\":[{\"containerID\":\"c1\"}]").replace("1.0.0", "1.1.0"), r -> { }, 7,
                        "cni.dev/valid-attachments[0] must have a non-empty \"containerID\" and \"ifname\""),
                bad("daemon socket missing", "ADD", conf(""), r -> { }, 11,
                        "ipamd is not reachable at " + dir.resolve("no-daemon.sock")),
                bad("CHECK before 0.4.0", "CHECK", conf("").replace("1.0.0", "0.3.1"), r -> { }, 1, "CHECK is defined from CNI 0.4.0"),
                bad("CHECK without prevResult", "CHECK", conf(""), r -> { }, 7, "CHECK needs prevResult"),
                bad("GC before 1.1.0", "GC", conf(""), r -> { }, 1, "GC is defined from CNI 1.1.0"),
                bad("STATUS with the daemon down", "STATUS", conf("").replace("1.0.0", "1.1.0"), r -> { }, 50,
                        "ipamd is not available: ipamd is not reachable at"));
    }

    private static Arguments bad(String what, String command, String stdin, Consumer<PluginRun> tweak, int code, String msg) {
        return Arguments.of(what, command, stdin, tweak, code, msg);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputGetsOneErrorObjectWithTheRightCode(String what, String command, String stdin, Consumer<PluginRun> tweak,
                                                     int code, String msg) {
        var run = new PluginRun(command, log());
        run.stdin = stdin;
        tweak.accept(run);
        run.run();
        assertEquals(1, run.exit, run.stdout);
        assertEquals(code, run.code(), run.stdout);
        assertTrue(run.msg().contains(msg), run.msg());
        assertTrue(run.stdout.startsWith("{") && run.stdout.endsWith("}") && !run.stdout.contains("\n"), run.stdout);
        // A value quoted back is cut short, so a huge input never makes a huge error.
        assertTrue(run.stdout.length() < 1024, "error of " + run.stdout.length() + " characters");
    }

    @Test
    void aDaemonHangingPastTheDeadlineIsTryAgainLater() throws Exception {
        var socket = dir.resolve("hang.sock");
        try (var server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            var run = new PluginRun("ADD", log());
            run.stdin = PluginRun.conf("1.0.0", socket, log(), ",\"ipamdTimeoutMs\":300");
            run.run();
            assertEquals(11, run.code(), run.stdout);
            assertTrue(run.msg().contains("ipamd at " + socket + " did not answer within 300 ms"), run.msg());
        }
    }

    @Test
    void versionNeverFails() {
        for (var stdin : new String[]{"{\"cniVersion\":\"0.4.0\"}", "", "garbage", "{\"cniVersion\":\"9.9.9\"}"}) {
            var run = new PluginRun("VERSION", log());
            run.env.put("CNI_NETNS", "dummy");
            run.env.put("CNI_CONTAINERID", "");
            run.stdin = stdin;
            run.run();
            assertEquals(0, run.exit, run.stdout);
            assertEquals(stdin.contains("0.4.0") ? "0.4.0" : CniVersion.LATEST, run.json().get("cniVersion"));
            assertEquals(CniVersion.SUPPORTED, run.json().get("supportedVersions"));
        }
    }

    @Test
    void everyFailedCallIsLoggedOnOneLine() throws Exception {
        var logFile = dir.resolve("one-line.log");
        var run = new PluginRun("ADD", logFile);
        run.stdin = PluginRun.conf("1.0.0", dir.resolve("no-daemon.sock"), logFile, "");
        run.run();
        var lines = Files.readAllLines(logFile);
        assertEquals(1, lines.size());
        var line = lines.getFirst();
        for (var part : new String[]{"\"verb\":\"ADD\"", "\"containerId\":\"0f1e2d3c", "\"pod\":\"shop/web-0\"", "\"outcome\":\"error\"",
                "\"code\":11", "\"durationUs\":"}) {
            assertTrue(line.contains(part), part + " in " + line);
        }
    }
}
