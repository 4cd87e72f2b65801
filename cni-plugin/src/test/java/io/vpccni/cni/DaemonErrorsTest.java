package io.vpccni.cni;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plugin side of the error contract in proto/README.md, row by row: a daemon answers each gRPC status
 * of the table and the plugin must print the table's CNI code (and 50 for STATUS, whatever the status).
 * The table is read from the README itself, so the document and the code cannot drift apart.
 */
class DaemonErrorsTest {
    private static final Path CONTRACT = Path.of("../proto/README.md");
    private static final List<String> STATUS_NAMES = List.of("OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT",
            "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
            "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
            "UNAUTHENTICATED");

    /** One row: the statuses it names (none: the daemon unreachable) and the CNI code they become. */
    record Row(String failure, List<String> statuses, int cniCode) {
    }

    @TempDir
    Path dir;

    static List<Row> contract() throws IOException {
        var lines = Files.readAllLines(CONTRACT);
        var start = lines.indexOf("## Error contract");
        assertTrue(start >= 0, "no '## Error contract' section in " + CONTRACT);
        var rows = new ArrayList<Row>();
        var i = start;
        while (!lines.get(i).startsWith("|---")) {
            i++;
        }
        for (i++; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            var cells = lines.get(i).split("\\|");
            var statuses = new ArrayList<String>();
            for (var s : cells[2].split(",")) {
                var name = s.strip().replace("`", "");
                if (!name.equals("none")) {
                    statuses.add(name);
                }
            }
            rows.add(new Row(cells[1].strip(), statuses, Integer.parseInt(cells[3].strip())));
        }
        return rows;
    }

    static Stream<Arguments> statusRows() throws IOException {
        return contract().stream().flatMap(row -> row.statuses().stream().map(s -> Arguments.of(s, row.cniCode(), row.failure())));
    }

    @Test
    void theContractNamesEveryStatusOnceAndTheUnreachableDaemon() throws IOException {
        var named = new HashSet<String>();
        var unreachable = 0;
        for (var row : contract()) {
            for (var s : row.statuses()) {
                assertTrue(STATUS_NAMES.contains(s) && !s.equals("OK"), "not a failure status: " + s);
                assertTrue(named.add(s), s + " is in two rows");
            }
            unreachable += row.statuses().isEmpty() ? 1 : 0;
        }
        assertEquals(new HashSet<>(STATUS_NAMES.subList(1, STATUS_NAMES.size())), named);
        assertEquals(1, unreachable, "rows without a status");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("statusRows")
    void eachStatusBecomesTheContractsCniCode(String status, int cniCode, String failure) throws Exception {
        var code = STATUS_NAMES.indexOf(status);
        var run = callAnswered(code, "ADD", "1.0.0");
        assertEquals(cniCode, run.code(), failure + ": " + run.stdout);
        assertTrue(run.msg().contains("scripted status " + code), run.msg());
        assertEquals("gRPC status " + status + " (" + code + ")", run.json().get("details"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statusRows")
    void statusAnswersFiftyForEveryStatus(String status) throws Exception {
        var run = callAnswered(STATUS_NAMES.indexOf(status), "STATUS", "1.1.0");
        assertEquals(50, run.code(), run.stdout);
    }

    @Test
    void anUnreachableDaemonIsTheContractsCodeWithoutAStatus() throws IOException {
        var row = contract().stream().filter(r -> r.statuses().isEmpty()).findFirst().orElseThrow();
        for (var verb : List.of("ADD", "STATUS")) {
            var run = new PluginRun(verb, dir.resolve("plugin.log"));
            run.stdin = PluginRun.conf("1.1.0", dir.resolve("nobody.sock"), dir.resolve("plugin.log"), "");
            run.run();
            assertEquals(verb.equals("STATUS") ? 50 : row.cniCode(), run.code(), run.stdout);
            assertTrue(((String) run.json().get("details")).startsWith("no gRPC status"), run.stdout);
        }
    }

    private PluginRun callAnswered(int status, String verb, String cniVersion) throws Exception {
        var socket = dir.resolve("status-" + status + ".sock");
        try (var daemon = new StatusDaemon(socket, status)) {
            var run = new PluginRun(verb, dir.resolve("plugin.log"));
            run.stdin = PluginRun.conf(cniVersion, socket, dir.resolve("plugin.log"), "");
            return run.run();
        }
    }
}
