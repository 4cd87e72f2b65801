package io.vpccni.ipamd.doctor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CNI config directory as the runtime reads it, from crafted directories. */
class DoctorConflistTest {
    static final String SHIPPED = """
            {"cniVersion": "1.0.0", "name": "aws-cni", "plugins": [
              {"name": "aws-cni", "type": "aws-cni", "ipamdSocket": "/var/run/aws-node/ipamd.sock"},
              {"type": "portmap", "capabilities": {"portMappings": true}}]}
            """;
    private static final Path SOCKET = Path.of("/var/run/aws-node/ipamd.sock");

    @TempDir
    Path dir;

    private ConflistFacts facts(Map<String, String> files) throws IOException {
        for (var e : files.entrySet()) {
            Files.writeString(dir.resolve(e.getKey()), e.getValue());
        }
        return ConflistFacts.read(dir);
    }

    static Stream<Arguments> dirs() {
        return Stream.of(
                Arguments.of("shipped", Map.of("10-aws.conflist", SHIPPED), Finding.Severity.OK, "the runtime uses 10-aws.conflist"),
                Arguments.of("missing", Map.of("README", "x"), Finding.Severity.PROBLEM, "there is no 10-aws.conflist"),
                Arguments.of("truncated", Map.of("10-aws.conflist", "{\"cniVersion\": \"1.1.0\", \"plugins\": ["), Finding.Severity.PROBLEM,
                        "is not valid JSON"),
                Arguments.of("no aws-cni plugin", Map.of("10-aws.conflist", SHIPPED.replace("\"type\": \"aws-cni\"", "\"type\": \"ptp\"")),
                        Finding.Severity.PROBLEM, "has no plugin of type aws-cni"),
                Arguments.of("older version", Map.of("10-aws.conflist", SHIPPED.replace("1.0.0", "0.4.0")), Finding.Severity.WARNING,
                        "cniVersion \"0.4.0\" is not the 1.0.0"),
                Arguments.of("unknown version", Map.of("10-aws.conflist", SHIPPED.replace("1.0.0", "2.0.0")), Finding.Severity.PROBLEM,
                        "is not one the aws-cni plugin speaks"),
                Arguments.of("another socket", Map.of("10-aws.conflist", SHIPPED.replace("/var/run/aws-node/ipamd.sock", "/run/other.sock")),
                        Finding.Severity.PROBLEM, "the plugin calls the daemon at /run/other.sock"),
                Arguments.of("another network first", Map.of("10-aws.conflist", SHIPPED, "05-flannel.conflist",
                        "{\"cniVersion\":\"1.0.0\",\"plugins\":[{\"type\":\"flannel\"}]}"), Finding.Severity.PROBLEM, "the runtime uses 05-flannel.conflist"),
                Arguments.of("a chain around aws-cni first", Map.of("10-aws.conflist", SHIPPED, "05-cilium.conflist",
                        "{\"cniVersion\":\"1.0.0\",\"plugins\":[{\"type\":\"aws-cni\"},{\"type\":\"cilium-cni\"}]}"), Finding.Severity.OK,
                        "the runtime uses 10-aws.conflist"));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("dirs")
    void theConfigTheRuntimeUses(String name, Map<String, String> files, Finding.Severity severity, String summary) throws IOException {
        var findings = ConflistCheck.findings(facts(files), SOCKET);
        assertEquals(1, findings.size(), findings.toString());
        var f = findings.getFirst();
        assertEquals(severity, f.severity(), f.toString());
        assertTrue(f.summary().contains(summary), f.summary());
    }

    @Test
    void theListingIsInTheRuntimesOrderAndIgnoresOtherFiles() throws IOException {
        var facts = facts(Map.of("10-aws.conflist", SHIPPED, "99-loopback.conf", "{}", "notes.txt", "", "00-a.json", "{}"));
        assertEquals(java.util.List.of("00-a.json", "10-aws.conflist", "99-loopback.conf"), facts.files());
        assertTrue(facts.first().isPresent(), "00-a.json is read: it is the one the runtime uses");
        var absent = ConflistCheck.findings(ConflistFacts.read(dir.resolve("nowhere")), SOCKET).getFirst();
        assertEquals(Finding.Severity.PROBLEM, absent.severity());
    }
}
