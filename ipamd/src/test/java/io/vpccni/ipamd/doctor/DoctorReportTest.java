package io.vpccni.ipamd.doctor;

import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Both renderings: problems first, every field, the summary line and the exit code. */
class DoctorReportTest {
    private static final Report REPORT = new Report(List.of(
            Finding.ok("ip-forward", "node", "the node forwards IPv4", List.of("net.ipv4.ip_forward = 1")),
            Finding.warning("conntrack", "node", "more than three quarters full", List.of("80 % full"), "Raise it."),
            Finding.problem("pod-rules", "pod default/web-1", "rule 1536 missing", List.of("kernel: no rule", "daemon: 10.0.1.5"),
                    "ip rule add from 10.0.1.5/32 lookup 2 priority 1536"),
            Finding.ok("imds", "http://169.254.169.254", "IMDSv2 answers", List.of())));

    @Test
    void textIsOneBlockPerFindingProblemsFirstAndACountAtTheEnd() {
        assertEquals("""
                PROBLEM pod-rules: pod default/web-1
                  rule 1536 missing
                  evidence:
                    kernel: no rule
                    daemon: 10.0.1.5
                  fix: ip rule add from 10.0.1.5/32 lookup 2 priority 1536

                WARNING conntrack: node
                  more than three quarters full
                  evidence:
                    80 % full
                  fix: Raise it.

                OK      ip-forward: node
                  the node forwards IPv4
                  evidence:
                    net.ipv4.ip_forward = 1

                OK      imds: http://169.254.169.254
                  IMDSv2 answers

                1 problem, 1 warning, 2 ok
                """, TextReport.render(REPORT));
        assertEquals(1, REPORT.exitCode());
        assertEquals(0, new Report(List.of(REPORT.findings().get(1))).exitCode(), "a warning alone is not a problem");
        assertEquals("0 problems, 0 warnings, 0 ok", new Report(List.of()).summaryLine());
    }

    @Test
    void jsonHasTheSummaryAndEveryFieldOfEveryFindingInTheSameOrder() throws Exception {
        var tree = new JsonMapper().readTree(JsonReport.render(REPORT));
        assertEquals("{\"problems\":1,\"warnings\":1,\"ok\":2,\"exitCode\":1}", tree.get("summary").toString());
        assertEquals(4, tree.get("findings").size());
        assertEquals("{\"check\":\"pod-rules\",\"severity\":\"PROBLEM\",\"object\":\"pod default/web-1\",\"summary\":\"rule 1536 missing\","
                + "\"evidence\":[\"kernel: no rule\",\"daemon: 10.0.1.5\"],\"fix\":\"ip rule add from 10.0.1.5/32 lookup 2 priority 1536\"}",
                tree.get("findings").get(0).toString());
        assertEquals("{\"check\":\"imds\",\"severity\":\"OK\",\"object\":\"http://169.254.169.254\",\"summary\":\"IMDSv2 answers\","
                + "\"evidence\":[],\"fix\":\"\"}", tree.get("findings").get(3).toString());
    }

    @Test
    void checkIdsAreKebabCase() {
        assertThrows(IllegalArgumentException.class, () -> Finding.ok("PodRules", "", "", List.of()));
    }
}
