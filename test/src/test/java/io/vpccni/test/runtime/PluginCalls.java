package io.vpccni.test.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The calls a runtime made to aws-cni, as the plugin logged them (one JSON line per call in pluginLogFile): which
 * verb, with which netns, whether it succeeded, and how long the plugin itself took (its JVM's start excluded).
 */
record PluginCalls(List<Call> calls) {
    record Call(String verb, String netns, boolean ok, Duration took) {
    }

    private static final Pattern VERB = Pattern.compile("\"verb\"\\s*:\\s*\"([A-Z]+)\"");
    private static final Pattern NETNS = Pattern.compile("\"netns\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern OUTCOME = Pattern.compile("\"outcome\"\\s*:\\s*\"([a-z]+)\"");
    private static final Pattern DURATION = Pattern.compile("\"durationUs\"\\s*:\\s*(\\d+)");

    static PluginCalls in(Path pluginLog) {
        try {
            if (!Files.exists(pluginLog)) {
                return new PluginCalls(List.of());
            }
            return new PluginCalls(Files.readAllLines(pluginLog).stream().filter(l -> VERB.matcher(l).find()).map(l -> new Call(
                    group(VERB.matcher(l)), group(NETNS.matcher(l)), "ok".equals(group(OUTCOME.matcher(l))),
                    Duration.ofNanos(Long.parseLong(group(DURATION.matcher(l), "0")) * 1000))).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Call> of(String verb) {
        return calls.stream().filter(c -> c.verb().equals(verb)).toList();
    }

    /** The plugin's own time for each successful call of {@code verb}. */
    SetupTimes times(String verb, String what) {
        var times = new SetupTimes(what);
        of(verb).stream().filter(Call::ok).forEach(c -> times.add(c.took()));
        return times;
    }

    private static String group(Matcher m) {
        return group(m, null);
    }

    private static String group(Matcher m, String otherwise) {
        return m.find() ? m.group(1) : otherwise;
    }
}
