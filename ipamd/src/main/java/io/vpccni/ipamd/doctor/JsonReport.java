package io.vpccni.ipamd.doctor;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonFactory;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The report for a program: {@code {"summary":{"problems":n,"warnings":n,"ok":n,"exitCode":n},"findings":[...]}},
 * each finding with every field present. Field names are spelled out: they are a contract with scripts.
 */
public final class JsonReport {
    private static final JsonFactory JSON = new JsonFactory();

    private JsonReport() {
    }

    public static String render(Report report) {
        var text = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(text)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeObjectFieldStart("summary");
            g.writeNumberField("problems", report.count(Finding.Severity.PROBLEM));
            g.writeNumberField("warnings", report.count(Finding.Severity.WARNING));
            g.writeNumberField("ok", report.count(Finding.Severity.OK));
            g.writeNumberField("exitCode", report.exitCode());
            g.writeEndObject();
            g.writeArrayFieldStart("findings");
            for (var f : report.findings()) {
                g.writeStartObject();
                g.writeStringField("check", f.check());
                g.writeStringField("severity", f.severity().name());
                g.writeStringField("object", f.object());
                g.writeStringField("summary", f.summary());
                g.writeArrayFieldStart("evidence");
                for (var e : f.evidence()) {
                    g.writeString(e);
                }
                g.writeEndArray();
                g.writeStringField("fix", f.fix());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory cannot fail", e);
        }
        return text + "\n";
    }
}
