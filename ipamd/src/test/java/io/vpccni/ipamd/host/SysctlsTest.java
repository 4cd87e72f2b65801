package io.vpccni.ipamd.host;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SysctlsTest {
    @TempDir
    Path proc;

    private Path file(String key, String value) throws IOException {
        var f = proc.resolve(key);
        Files.createDirectories(f.getParent());
        Files.writeString(f, value + "\n");
        return f;
    }

    @Test
    void setsLooseReversePathFilterOnThePrimaryAndEarlyDemuxOnlyWhenAsked() throws IOException {
        var rp = file("net/ipv4/conf/ens5/rp_filter", "1");
        var demux = file("net/ipv4/tcp_early_demux", "1");
        new Sysctls(proc).applyForNode("ens5", false);
        assertEquals("2", Files.readString(rp));
        assertEquals("1\n", Files.readString(demux));
        new Sysctls(proc).applyForNode("ens5", true);
        assertEquals("0", Files.readString(demux));
    }

    @Test
    void aValueAlreadyRightIsNotWritten() throws IOException {
        file("net/ipv4/conf/ens5/rp_filter", "2");
        assertFalse(new Sysctls(proc).set("net/ipv4/conf/ens5/rp_filter", "2", "test"));
        assertTrue(new Sysctls(proc).set("net/ipv4/conf/ens5/rp_filter", "1", "test"));
    }

    @Test
    void aMissingKeyIsNamedInTheError() {
        var e = assertThrows(IOException.class, () -> new Sysctls(proc).applyForNode("eth9", false));
        assertTrue(e.getMessage().contains("net.ipv4.conf.eth9.rp_filter"), e.getMessage());
    }

    @Test
    void anInterfaceNameCannotReachOtherKeys() {
        assertThrows(IllegalArgumentException.class, () -> new Sysctls(proc).applyForNode("../../tcp_early_demux", false));
    }
}
