package io.vpccni.ipamd.observe;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real logback, configured as the daemon configures it, writing into a temporary directory. */
class DaemonLoggingTest {
    private static final String TOKEN = "IQoJb3JpZ2luX2VjVPCCNITESTSESSIONTOKENwEaCXVzLXdlc3QtMiJHMEUCIQ";
    private static final LogRotation TINY = new LogRotation(2048, 3, Duration.ofDays(30), Duration.ZERO);
    private final ObjectMapper json = new ObjectMapper();
    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private PrintStream realOut;
    private PrintStream realErr;
    @TempDir
    Path dir;

    @BeforeEach
    void captureStreams() {
        realOut = System.out;
        realErr = System.err;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreTheTestsLogging() throws Exception {
        MDC.clear();
        context.reset();  // stops the appender, which waits for a compression still running
        System.setOut(realOut);
        System.setErr(realErr);
        new ContextInitializer(context).autoConfig();
    }

    @Test
    void theFileRotatesAtItsSizeKeepingTheNewestBackupsGzippedWithEveryLineJsonMdcAndMasks() throws Exception {
        var file = dir.resolve("aws-routed-eni/ipamd.log");  // its directory is made
        DaemonLogging.configure(new LogSettings(new LogSettings.LogFile(file), Level.DEBUG), TINY);
        assertEquals(Level.INFO, context.getLogger("software.amazon.awssdk").getEffectiveLevel(), "logback.xml's caps hold");
        assertEquals(Level.ERROR, context.getLogger("io.fabric8.kubernetes.client.informers.impl.cache.Reflector").getLevel());
        var log = LoggerFactory.getLogger("io.vpccni.ipamd.pod.PodNetworks");
        MDC.put("containerId", "c0ffee");
        MDC.put("pod", "default/web-1");
        MDC.put("ifName", "eth0");
        var lines = 300;
        for (var i = 0; i < lines; i++) {
            log.debug("line {} X-Amz-Security-Token: {}", i, TOKEN);
        }
        context.reset();  // what a test can wait on: the last compression done

        var stdoutLines = stdout.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, stdoutLines.size(), "stdout says once where the log is: " + stdoutLines);
        assertEquals("logging to " + file + " at DEBUG and above (AWS_VPC_K8S_CNI_LOG_FILE), rotated at 2048 bytes, 3 old files"
                + " kept gzipped", json.readTree(stdoutLines.getFirst()).path("formattedMessage").asText());
        assertEquals(List.of("ipamd.log", "ipamd.log.1.gz", "ipamd.log.2.gz", "ipamd.log.3.gz"), names(file.getParent()),
                "three old files, gzipped, none half-done");

        var texts = new ArrayList<String>();
        for (var backup : List.of("ipamd.log.3.gz", "ipamd.log.2.gz", "ipamd.log.1.gz")) {
            var text = gunzip(file.resolveSibling(backup));
            assertTrue(text.length() >= TINY.maxFileBytes(), backup + " was rotated once it had reached the size: " + text.length());
            texts.add(text);
        }
        assertTrue(Files.size(file) < TINY.maxFileBytes() + 300, "the active file is within a line of the size");
        texts.add(Files.readString(file));

        var numbers = new ArrayList<Integer>();
        for (var text : texts) {
            for (var line : text.lines().toList()) {
                assertFalse(line.contains(TOKEN.substring(0, 20)), "the token reached the file: " + line);
                JsonNode event = json.readTree(line);
                assertEquals("c0ffee", event.path("mdc").path("containerId").asText(), line);
                assertEquals("default/web-1", event.path("mdc").path("pod").asText(), line);
                assertEquals("eth0", event.path("mdc").path("ifName").asText(), line);
                assertEquals("DEBUG", event.path("level").asText(), line);
                var message = event.path("formattedMessage").asText();
                assertTrue(message.endsWith("X-Amz-Security-Token: " + SecretMasking.MASK), message);
                numbers.add(Integer.parseInt(message.split(" ")[1]));
            }
        }
        var first = numbers.getFirst();
        assertTrue(first > 0, "the oldest lines went with the fourth-newest file");
        assertEquals(Stream.iterate(first, n -> n + 1).limit(lines - first).toList(), numbers,
                "the kept files hold the newest lines, each once, in order");
    }

    @Test
    void expiredBackupsGoAndARotationCutShortIsFinishedAtStart() throws Exception {
        var file = dir.resolve("ipamd.log");
        Files.writeString(file.resolveSibling("ipamd.log.1"), "rotated, then the daemon was killed\n");
        Files.writeString(file.resolveSibling("ipamd.log.1.gz.tmp"), "half a gzip");
        gzip(file.resolveSibling("ipamd.log.2.gz"), "31 days old\n", Instant.now().minus(Duration.ofDays(31)));
        gzip(file.resolveSibling("ipamd.log.3.gz"), "29 days old\n", Instant.now().minus(Duration.ofDays(29)));

        DaemonLogging.configure(new LogSettings(new LogSettings.LogFile(file), Level.INFO), TINY);
        LoggerFactory.getLogger(DaemonLoggingTest.class).info("started");
        context.reset();

        assertEquals(List.of("ipamd.log", "ipamd.log.1.gz", "ipamd.log.3.gz"), names(dir));
        assertEquals("rotated, then the daemon was killed\n", gunzip(file.resolveSibling("ipamd.log.1.gz")));
        assertEquals("29 days old\n", gunzip(file.resolveSibling("ipamd.log.3.gz")));
        assertTrue(Files.readString(file).contains("\"started\""));
    }

    @Test
    void aFileThatCannotBeOpenedLeavesTheLinesOnStdoutSayingSoInOneLine() throws Exception {
        Files.writeString(dir.resolve("not-a-directory"), "");
        var file = dir.resolve("not-a-directory/ipamd.log");
        DaemonLogging.configure(new LogSettings(new LogSettings.LogFile(file), Level.DEBUG), TINY);
        LoggerFactory.getLogger(DaemonLoggingTest.class).info("still logged");

        var lines = stdout.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size(), lines.toString());
        var said = json.readTree(lines.get(0)).path("formattedMessage").asText();
        assertTrue(said.startsWith("cannot write the log file " + file + " (java.nio.file.FileAlreadyExistsException: "
                + dir.resolve("not-a-directory") + "): logging to stdout instead"), said);
        assertEquals("still logged", json.readTree(lines.get(1)).path("formattedMessage").asText());
    }

    @Test
    void stderrAndStdoutAreStreams() throws Exception {
        DaemonLogging.configure(new LogSettings(new LogSettings.Stderr(), Level.WARN), TINY);
        var log = LoggerFactory.getLogger(DaemonLoggingTest.class);
        log.info("below the level");
        log.warn("on stderr");
        assertEquals("", stdout.toString(StandardCharsets.UTF_8));
        var errLines = stderr.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, errLines.size(), errLines.toString());
        assertEquals("on stderr", json.readTree(errLines.getFirst()).path("formattedMessage").asText());

        DaemonLogging.configure(new LogSettings(new LogSettings.Stdout(), Level.DEBUG), TINY);
        log.debug("on stdout");
        assertEquals("on stdout", json.readTree(stdout.toString(StandardCharsets.UTF_8).strip()).path("formattedMessage").asText());
        assertEquals(1, stderr.toString(StandardCharsets.UTF_8).lines().count(), "nothing more on stderr");
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "no file is made for a stream");
        }
    }

    private static List<String> names(Path directory) throws IOException {
        try (var files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String gunzip(Path file) throws IOException {
        try (var in = new GZIPInputStream(Files.newInputStream(file))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void gzip(Path file, String text, Instant modified) throws IOException {
        try (var out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        Files.setLastModifiedTime(file, FileTime.from(modified));
    }
}
