package io.vpccni.cni;

import io.vpccni.cni.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RotatingLogFileTest {
    @TempDir
    Path dir;

    private static byte[] line(int n) {
        var text = String.format("{\"n\":\"%05d\",\"p\":\"xxxxxxxxx\"}%n", n);
        assertEquals(30, text.length());
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void upstreamsFigures() {
        assertEquals(100L * 1024 * 1024, RotatingLogFile.MAX_BYTES);
        assertEquals(5, RotatingLogFile.MAX_BACKUPS);
        assertEquals(Duration.ofDays(30).toMillis(), RotatingLogFile.MAX_AGE_MILLIS);
    }

    @Test
    void aLineThatWouldPassTheSizeGoesToAFreshFileAndOnlyTheNewestBackupsStay() throws IOException {
        var file = dir.resolve("aws-routed-eni/plugin.log");  // its directory is made
        var log = new RotatingLogFile(file.toString(), 100, 3, 0);
        for (var n = 0; n < 20; n++) {
            log.append(line(n));
        }
        // Three 30-byte lines fit in 100 bytes; the fourth starts a new file. 20 lines: 6 full files and 2 lines.
        assertEquals(List.of("plugin.log", "plugin.log.1", "plugin.log.2", "plugin.log.3", "plugin.log.lock"),
                names(file.getParent()), "three old files kept, the lock beside them");
        assertEquals(lines(18, 20), Files.readString(file));
        assertEquals(lines(15, 18), Files.readString(file.resolveSibling("plugin.log.1")));
        assertEquals(lines(12, 15), Files.readString(file.resolveSibling("plugin.log.2")));
        assertEquals(lines(9, 12), Files.readString(file.resolveSibling("plugin.log.3")));
    }

    @Test
    void exactlyAtTheSizeIsStillOneFile() throws IOException {
        var file = dir.resolve("plugin.log");
        var log = new RotatingLogFile(file.toString(), 90, 5, 0);
        for (var n = 0; n < 3; n++) {
            log.append(line(n));
        }
        assertEquals(90, Files.size(file));
        assertEquals(List.of("plugin.log"), names(dir));
        log.append(line(3));
        assertEquals(lines(0, 3), Files.readString(dir.resolve("plugin.log.1")));
        assertEquals(lines(3, 4), Files.readString(file));
    }

    @Test
    void aLineLongerThanTheSizeIsKeptWholeInAFileOfItsOwn() throws IOException {
        var file = dir.resolve("plugin.log");
        var log = new RotatingLogFile(file.toString(), 20, 5, 0);
        log.append(line(0));
        log.append(line(1));
        assertEquals(lines(0, 1), Files.readString(dir.resolve("plugin.log.1")));
        assertEquals(lines(1, 2), Files.readString(file));
    }

    @Test
    void oldFilesPastTheAgeGoAtTheNextRotation() throws IOException {
        var file = dir.resolve("plugin.log");
        Files.writeString(dir.resolve("plugin.log.1"), "29 days old\n");
        Files.setLastModifiedTime(dir.resolve("plugin.log.1"), FileTime.from(Instant.now().minus(Duration.ofDays(29))));
        Files.writeString(dir.resolve("plugin.log.2"), "31 days old\n");
        Files.setLastModifiedTime(dir.resolve("plugin.log.2"), FileTime.from(Instant.now().minus(Duration.ofDays(31))));
        var log = new RotatingLogFile(file.toString(), 60, 5, RotatingLogFile.MAX_AGE_MILLIS);
        for (var n = 0; n < 2; n++) {
            log.append(line(n));
        }
        assertEquals(List.of("plugin.log", "plugin.log.1", "plugin.log.2"), names(dir), "no rotation yet");
        log.append(line(2));
        assertEquals(List.of("plugin.log", "plugin.log.1", "plugin.log.2", "plugin.log.lock"), names(dir));
        assertEquals(lines(0, 2), Files.readString(dir.resolve("plugin.log.1")));
        assertEquals("29 days old\n", Files.readString(dir.resolve("plugin.log.2")), "moved up, still young enough");
    }

    @Test
    void aRotationThatFailsStillAppendsTheLine() throws IOException {
        var file = dir.resolve("plugin.log");
        Files.createDirectory(dir.resolve("plugin.log.lock"));  // refused even to root: the lock cannot be opened
        var log = new RotatingLogFile(file.toString(), 60, 5, 0);
        log.append(line(0));
        log.append(line(1));
        var e = assertThrows(RotatingLogFile.NotRotated.class, () -> log.append(line(2)));
        assertTrue(e.getMessage().startsWith("cannot rotate " + file + " (the line was appended to it): "), e.getMessage());
        assertEquals(lines(0, 3), Files.readString(file));
    }

    @Test
    void aLogThatCannotBeWrittenOrRotatedIsSaidOnStderrNeverStdoutAndNeverFailsTheCall() throws IOException {
        Files.writeString(dir.resolve("not-a-directory"), "");
        var unwritable = dir.resolve("not-a-directory/plugin.log").toString();
        var full = dir.resolve("plugin.log");
        sparse(full, RotatingLogFile.MAX_BYTES);
        Files.createDirectory(dir.resolve("plugin.log.lock"));
        var entry = new PluginLog.Entry("ADD", null, "10.0.1.5", null, 1_000);
        var said = stderrOf(() -> {
            PluginLog.write(unwritable, "DEBUG", entry);
            PluginLog.write(full.toString(), "DEBUG", entry);
        });
        assertEquals(2, said.size(), said.toString());
        assertTrue(said.get(0).startsWith("aws-cni: cannot write plugin log " + unwritable + ": java.io."), said.get(0));
        assertTrue(said.get(1).startsWith("aws-cni: cannot rotate " + full + " (the line was appended to it): "), said.get(1));
        assertTrue(Files.size(full) > RotatingLogFile.MAX_BYTES, "the line was appended all the same");
    }

    @Test
    void atUpstreamsSizeTheCallsLineStartsAFreshFile() throws IOException {
        var file = dir.resolve("plugin.log");
        sparse(file, RotatingLogFile.MAX_BYTES - 10);  // no disk is used
        var entry = new PluginLog.Entry("DEL", null, null, null, 1_000);
        assertEquals(List.of(), stderrOf(() -> PluginLog.write(file.toString(), "DEBUG", entry)));
        assertEquals(RotatingLogFile.MAX_BYTES - 10, Files.size(dir.resolve("plugin.log.1")));
        var lines = Files.readAllLines(file);
        assertEquals(1, lines.size());
        assertInstanceOf(Map.class, Json.parse(lines.getFirst()));
    }

    /**
     * Several plugin processes (child JVMs, two threads each) append many lines at once while the tiny size makes
     * them rotate all the time: afterwards every line is in exactly one file, whole.
     */
    @Test
    void concurrentProcessesLoseNoLineAndSplitNone() throws Exception {
        var file = dir.resolve("plugin.log");
        int processes = 3, threads = 2, lines = 1500, maxBytes = 4096, backups = 1000;
        var java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var classpath = location(RotatingLogFile.class) + File.pathSeparator + location(LogWriters.class);
        var children = new ArrayList<Process>();
        for (var p = 0; p < processes; p++) {
            children.add(new ProcessBuilder(java, "-cp", classpath, LogWriters.class.getName(), file.toString(),
                    "p" + p, Integer.toString(threads), Integer.toString(lines), Integer.toString(maxBytes),
                    Integer.toString(backups)).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        }
        for (var child : children) {  // every child is ready before any writes, so they really overlap
            var ready = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertEquals("ready", ready);
        }
        for (var child : children) {
            child.getOutputStream().write('\n');
            child.getOutputStream().close();
        }
        for (var child : children) {
            assertTrue(child.waitFor(120, TimeUnit.SECONDS), "a writer did not finish");
            assertEquals(0, child.exitValue());
        }

        var files = names(dir);
        assertFalse(files.contains("plugin.log." + backups), "nothing was deleted, so every line must be there");
        assertTrue(files.size() > 20, "it rotated many times: " + files.size() + " files");
        var seen = new HashMap<String, Integer>();
        for (var name : files) {
            if (name.endsWith(".lock")) {
                continue;
            }
            for (var text : Files.readString(dir.resolve(name)).split("\n", -1)) {
                if (text.isEmpty()) {
                    continue;
                }
                @SuppressWarnings("unchecked")
                var line = (Map<String, Object>) Json.parse(text);  // throws on a split or interleaved line
                seen.merge(line.get("writer") + "#" + line.get("n"), 1, Integer::sum);
            }
        }
        assertEquals(processes * threads * lines, seen.size(), "every line written is present");
        assertEquals(List.of(), seen.entrySet().stream().filter(e -> e.getValue() != 1).toList(), "each exactly once");
    }

    private static void sparse(Path file, long size) throws IOException {
        try (var f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
    }

    /** What {@code work} printed on stderr, line by line; it must print nothing on stdout. */
    private static List<String> stderrOf(Runnable work) {
        var stdout = new ByteArrayOutputStream();
        var stderr = new ByteArrayOutputStream();
        var realOut = System.out;
        var realErr = System.err;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
        try {
            work.run();
        } finally {
            System.setOut(realOut);
            System.setErr(realErr);
        }
        assertEquals("", stdout.toString(StandardCharsets.UTF_8), "nothing on stdout, ever");
        return stderr.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private static String location(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static String lines(int from, int to) {
        var text = new StringBuilder();
        for (var n = from; n < to; n++) {
            text.append(new String(line(n), StandardCharsets.UTF_8));
        }
        return text.toString();
    }

    private static List<String> names(Path directory) throws IOException {
        try (var files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
