package io.vpccni.ipamd.install;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConflistWriterTest {
    @TempDir
    Path root;

    @Test
    void writesOnceAndLeavesAnUnchangedFileAlone() throws Exception {
        var dir = root.resolve("etc/cni/net.d");
        var writer = new ConflistWriter(dir, CniConfig.fromEnv(Map.of()));
        assertTrue(writer.write());
        assertEquals(Conflist.render(CniConfig.fromEnv(Map.of())), Files.readString(dir.resolve("10-aws.conflist")));
        assertFalse(writer.write(), "a runtime reloads on every change: the same content is not rewritten");
        try (var entries = Files.list(dir)) {
            assertEquals(1, entries.count(), "no temporary file is left");
        }
        assertTrue(new ConflistWriter(dir, CniConfig.fromEnv(Map.of("POD_MTU", "1500"))).write(), "a new setting is written");
        assertTrue(Files.readString(dir.resolve("10-aws.conflist")).contains("\"1500\""));
    }
}
