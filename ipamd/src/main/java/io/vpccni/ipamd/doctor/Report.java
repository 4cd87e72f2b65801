package io.vpccni.ipamd.doctor;

import java.util.Comparator;
import java.util.List;

/** Every finding of one doctor run, worst first (the order within a severity is the order the checks ran). */
public record Report(List<Finding> findings) {
    public Report {
        findings = findings.stream().sorted(Comparator.comparing(Finding::severity)).toList();
    }

    public long count(Finding.Severity severity) {
        return findings.stream().filter(f -> f.severity() == severity).count();
    }

    /** 0 when nothing is a problem (warnings included), 1 when something is. */
    public int exitCode() {
        return count(Finding.Severity.PROBLEM) > 0 ? 1 : 0;
    }

    /** "2 problems, 1 warning, 14 ok". */
    public String summaryLine() {
        return plural(count(Finding.Severity.PROBLEM), "problem") + ", " + plural(count(Finding.Severity.WARNING), "warning")
                + ", " + count(Finding.Severity.OK) + " ok";
    }

    private static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
