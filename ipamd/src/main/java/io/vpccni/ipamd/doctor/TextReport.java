package io.vpccni.ipamd.doctor;

/** The report for a person: one block per finding, problems first, and a one-line count at the end. */
public final class TextReport {
    private TextReport() {
    }

    public static String render(Report report) {
        var out = new StringBuilder();
        for (var f : report.findings()) {
            out.append(String.format("%-7s %s", f.severity(), f.check()));
            if (!f.object().isEmpty()) {
                out.append(": ").append(f.object());
            }
            out.append('\n');
            indent(out, "  ", f.summary());
            if (!f.evidence().isEmpty()) {
                out.append("  evidence:\n");
                f.evidence().forEach(e -> indent(out, "    ", e));
            }
            if (!f.fix().isEmpty()) {
                indent(out, "  ", "fix: " + f.fix());
            }
            out.append('\n');
        }
        return out.append(report.summaryLine()).append('\n').toString();
    }

    // Evidence can be several lines (a file's content): every line keeps the block's indentation.
    private static void indent(StringBuilder out, String prefix, String text) {
        if (text.isEmpty()) {
            return;
        }
        text.lines().forEach(line -> out.append(prefix).append(line).append('\n'));
    }
}
