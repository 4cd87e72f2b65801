package io.vpccni.ipamd.doctor;

import io.vpccni.ipamd.testing.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CNI STATUS over the daemon's real gRPC server on a Unix socket, and what the checks make of each answer. */
class DoctorDaemonTest {
    @TempDir
    Path dir;

    @Test
    void aServingDaemonsStatusIsReadAndAnOpenPoolIsOk() throws IOException {
        try (var daemon = new TestDaemon(dir.resolve("ipamd.sock"), "10.9.1.50", "10.9.1.51")) {
            var status = new StatusClient(daemon.server.socket(), "1.0.0", java.time.Duration.ofSeconds(2)).status();
            assertEquals(new DaemonStatus(true, "", 2, 0), assertInstanceOf(Answer.Got.class, status).value());
            var f = DaemonChecks.status(status).getFirst();
            assertEquals(Finding.Severity.OK, f.severity());
            assertEquals("the pool is open: 2 addresses free, 0 assigned", f.summary());

            daemon.allocator.notReady("waiting for IMDS: connection timed out");
            var closed = DaemonChecks.status(new StatusClient(daemon.server.socket(), "1.0.0", java.time.Duration.ofSeconds(2)).status()).getFirst();
            assertEquals(Finding.Severity.PROBLEM, closed.severity());
            assertEquals("CNI STATUS: not ready: waiting for IMDS: connection timed out", closed.evidence().getFirst());
        }
    }

    @Test
    void anotherMajorVersionNoSocketAndAStaleSocketAreReasons() throws IOException {
        Path socket;
        try (var daemon = new TestDaemon(dir.resolve("ipamd.sock"), "10.9.1.50")) {
            socket = daemon.server.socket();
            var refused = assertInstanceOf(Answer.Failed.class, new StatusClient(socket, "2.0.0", java.time.Duration.ofSeconds(2)).status());
            assertTrue(refused.why().contains("FAILED_PRECONDITION"), refused.why());
        }
        var none = assertInstanceOf(Answer.Failed.class, new StatusClient(socket, "1.0.0", java.time.Duration.ofSeconds(2)).status());
        assertTrue(none.why().startsWith("there is no socket at " + socket), none.why());
        assertEquals(Finding.Severity.PROBLEM, DaemonChecks.status(Answer.failed(none.why())).getFirst().severity());
    }

    @Test
    void introspectionFailuresAreProblemsAndItsAbsenceAWarning() {
        var settings = DoctorSettings.fromEnv(java.util.Map.of());
        var broken = DaemonChecks.introspection(settings, Answer.failed("GET http://127.0.0.1:61679/v1/pods: connection refused"),
                Answer.got(DoctorFixtures.guard()));
        assertEquals(1, broken.size());
        assertEquals(Finding.Severity.PROBLEM, broken.getFirst().severity());
        var off = DaemonChecks.introspection(DoctorSettings.fromEnv(java.util.Map.of("DISABLE_INTROSPECTION", "true")),
                Answer.failed("off"), Answer.failed("off"));
        assertEquals(Finding.Severity.WARNING, off.getFirst().severity());
    }
}
