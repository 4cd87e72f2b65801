package io.vpccni.ipamd.guard;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnmanagedNetworkFilesTest {
    @TempDir
    Path dir;

    @Test
    void theFileMatchesTheMacAndSortsBeforeNodeadmsAndTheDistributions() throws Exception {
        var files = new UnmanagedNetworkFiles(dir);
        files.write("eni-0abc", "02:AB:00:00:00:09");
        var file = dir.resolve("01-aws-vpc-cni-eni-0abc.network");
        var content = Files.readString(file);
        assertTrue(content.contains("[Match]\nMACAddress=02:ab:00:00:00:09\n\n[Link]\nUnmanaged=yes\n"), content);
        for (var other : List.of("10-netplan-ens5.network", "70-eks-ens6.network", "70-ens6.network", "80-ec2.network")) {
            assertTrue(file.getFileName().toString().compareTo(other) < 0, other);
        }
        var modified = Files.getLastModifiedTime(file);
        files.write("eni-0abc", "02:ab:00:00:00:09");
        assertEquals(modified, Files.getLastModifiedTime(file), "unchanged content is not rewritten");
        files.deleted("eni-0abc");
        assertFalse(Files.exists(file));
    }

    @Test
    void idsAndMacsCannotEscapeTheDirectoryOrTheFile() {
        var files = new UnmanagedNetworkFiles(dir);
        assertThrows(IllegalArgumentException.class, () -> files.write("eni-../../etc/x", "02:00:00:00:00:01"));
        assertThrows(IllegalArgumentException.class, () -> files.write("eni-0abc", "02:00:00:00:00:01\n[Link]"));
    }

    @Test
    void syncWritesTheNodesEnisAndRemovesOnlyOurStaleFiles() throws Exception {
        Files.writeString(dir.resolve("01-aws-vpc-cni-eni-0dead.network"), "old");
        Files.writeString(dir.resolve("70-eks-ens6.network"), "nodeadm's");
        new UnmanagedNetworkFiles(dir).sync(Map.of("eni-0abc", "02:00:00:00:00:09"));
        try (var listing = Files.list(dir)) {
            assertEquals(List.of("01-aws-vpc-cni-eni-0abc.network", "70-eks-ens6.network"),
                    listing.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void offUnlessAsked() {
        var paths = new LinkOwnership.Paths(dir.resolve("links"), List.of(dir), dir.resolve("nm"));
        assertTrue(UnmanagedNetworkFiles.fromEnv(Map.of(), paths).isEmpty());
        assertTrue(UnmanagedNetworkFiles.fromEnv(Map.of("GUARD_WRITE_UNMANAGED_NETWORK_FILES", "true"), paths).isPresent());
    }
}
