package io.vpccni.ipamd.doctor;

import java.util.List;
import java.util.Objects;

/**
 * One thing the doctor found, good or bad: which check ({@code pod-rules}), how bad, about what
 * ({@code pod default/web-1}, {@code eni-0abc (ens6)}), what it means, what it was concluded from (a file and
 * its line, a rule as the kernel lists it, a sysctl's value) and the one thing to do about it.
 */
public record Finding(String check, Severity severity, String object, String summary, List<String> evidence, String fix) {
    public enum Severity {
        // Declared worst first: reports list findings in this order.
        PROBLEM, WARNING, OK
    }

    public Finding {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(severity, "severity");
        object = Objects.requireNonNullElse(object, "");
        summary = Objects.requireNonNullElse(summary, "");
        evidence = List.copyOf(evidence);
        fix = Objects.requireNonNullElse(fix, "");
        if (!check.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("check id '" + check + "' is not kebab-case");
        }
    }

    public static Finding ok(String check, String object, String summary, List<String> evidence) {
        return new Finding(check, Severity.OK, object, summary, evidence, "");
    }

    public static Finding warning(String check, String object, String summary, List<String> evidence, String fix) {
        return new Finding(check, Severity.WARNING, object, summary, evidence, fix);
    }

    public static Finding problem(String check, String object, String summary, List<String> evidence, String fix) {
        return new Finding(check, Severity.PROBLEM, object, summary, evidence, fix);
    }
}
