package io.vpccni.ipamd.doctor;

import io.vpccni.ipamd.checkpoint.Checkpoint;
import io.vpccni.ipamd.checkpoint.CheckpointEntry;
import io.vpccni.ipamd.checkpoint.CheckpointFile;
import io.vpccni.ipamd.checkpoint.FileCheckpointStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.vpccni.ipamd.doctor.DoctorFixtures.pod;
import static io.vpccni.ipamd.doctor.DoctorFixtures.pods;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checkpoint read as a restarted daemon reads it, never written, and compared with the daemon's pods. */
class DoctorCheckpointTest {
    private static final PodsView.Pod WEB = pod("web-1", "10.9.1.50", 2, "eni1a2b3c4d5e6");

    @TempDir
    Path dir;

    private Path save(CheckpointEntry... entries) throws IOException {
        var file = dir.resolve("ipam.json");
        new FileCheckpointStore(file).save(new Checkpoint(List.of(entries)));
        return file;
    }

    private static CheckpointEntry entry(PodsView.Pod p) {
        return CheckpointEntry.ipv4("aws-cni", p.containerId(), p.ifName(), p.ip(), 1, p.namespace(), p.name(), 1);
    }

    @Test
    void aCheckpointHoldingExactlyTheDaemonsPodsIsOk() throws IOException {
        var f = CheckpointCheck.findings(CheckpointFile.read(save(entry(WEB))), Answer.got(pods(WEB))).getFirst();
        assertEquals(Finding.Severity.OK, f.severity(), f.toString());
        assertEquals("checkpoint", f.check());
    }

    @Test
    void allocationsThatDifferFromThePodsAreAWarningListingBoth() throws IOException {
        var other = pod("api-0", "10.9.1.51", 2, "eni9");
        var f = CheckpointCheck.findings(CheckpointFile.read(save(entry(other))), Answer.got(pods(WEB))).getFirst();
        assertEquals(Finding.Severity.WARNING, f.severity());
        assertEquals("checkpoint-pods", f.check());
        assertTrue(f.evidence().contains("only in the checkpoint: c0ffeeapi-00 eth0 10.9.1.51"), f.evidence().toString());
        assertTrue(f.evidence().contains("only in the daemon: c0ffeeweb-10 eth0 10.9.1.50"), f.evidence().toString());
    }

    @Test
    void anUntrustworthyFileIsAProblemAndIsLeftExactlyAsItWas() throws IOException {
        var file = dir.resolve("ipam.json");
        Files.writeString(file, "{\"version\":\"vpc-cni-ipam/1\",\"allocations\":[{\"ipv4\":\"10.0.0.999\"}");
        var leftover = dir.resolve("ipam.json.tmp-123");
        Files.writeString(leftover, "a save in flight");
        var f = CheckpointCheck.findings(CheckpointFile.read(file), Answer.got(pods(WEB))).getFirst();
        assertEquals(Finding.Severity.PROBLEM, f.severity());
        assertTrue(f.evidence().getFirst().contains("truncated"), f.evidence().toString());
        assertTrue(Files.exists(leftover), "the daemon's temp file is never touched");

        Files.writeString(file, "{\"version\":\"vpc-cni-ipam/2\",\"allocations\":[]}");
        var v = CheckpointCheck.findings(CheckpointFile.read(file), Answer.got(pods(WEB))).getFirst();
        assertEquals(Finding.Severity.PROBLEM, v.severity());
        assertTrue(v.summary().contains("format this aws-node does not read"), v.summary());
    }

    @Test
    void noFileIsOkOnAFreshNodeAndAWarningWhenTheDaemonHoldsPods() {
        var absent = CheckpointFile.read(dir.resolve("ipam.json"));
        assertEquals(Finding.Severity.OK, CheckpointCheck.findings(absent, Answer.got(pods())).getFirst().severity());
        assertEquals(Finding.Severity.WARNING, CheckpointCheck.findings(absent, Answer.got(pods(WEB))).getFirst().severity());
    }
}
