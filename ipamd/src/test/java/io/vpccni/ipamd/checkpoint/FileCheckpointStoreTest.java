package io.vpccni.ipamd.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FileCheckpointStoreTest {
    /** As upstream writes it, plus fields a newer writer might add (top level, entry, metadata). */
    static final String UPSTREAM_SAMPLE = """
            {"version":"vpc-cni-ipam/1","allocations":[\
            {"networkName":"aws-cni","containerID":"5c5c1d7e9f2b8a4e3d6c0b1a29384756","ifName":"eth0",\
            "ipv4":"192.168.23.117","allocationTimestamp":1718000000123456789,\
            "metadata":{"k8sPodNamespace":"kube-system","k8sPodName":"coredns-6b9575c64c-7xk2p","interfacesCount":1}},\
            {"networkName":"aws-cni","containerID":"9f8e7d6c5b4a39281706f5e4d3c2b1a0","ifName":"eth0",\
            "ipv4":"192.168.40.5","ipv6":"2600:1f14:abc:1200::3","allocationTimestamp":1718000456000000001,\
            "futureField":{"nested":[1,2,3]},"lease":"forever",\
            "metadata":{"k8sPodNamespace":"default","k8sPodName":"web-0","interfacesCount":2,"podUID":"u-1"}}],\
            "generation":7}
            """;

    @TempDir
    Path tmp;

    private Path file() {
        return tmp.resolve("aws-node").resolve("ipam.json");
    }

    static Checkpoint sample() {
        return new Checkpoint(List.of(
                CheckpointEntry.ipv4("aws-cni", "c0ffee01", "eth0", "10.0.1.17", 1718000000123456789L,
                        "default", "web-0", 1),
                new CheckpointEntry("aws-cni", "c0ffee02", "eth0", "", "2001:db8::2a", Long.MAX_VALUE,
                        "kube-system", "coredns-1", 1),
                new CheckpointEntry("multus-net", "c0ffee03", "net1", "10.0.1.18", "fd00::18", 0L, "", "", 0)));
    }

    @Test
    void roundTrip() throws Exception {
        var store = new FileCheckpointStore(file());
        store.save(sample());
        assertEquals(Optional.of(sample()), new FileCheckpointStore(file()).load());
    }

    @Test
    void theHostVethRoundTripsInTheMetadataWhereUpstreamIgnoresIt() throws Exception {
        var entry = new CheckpointEntry("aws-cni", "c0ffee04", "eth0", "10.0.1.19", "", 1L, "default", "web-1", 1, "eni0123456789a");
        new FileCheckpointStore(file()).save(new Checkpoint(List.of(entry), List.of()));
        var meta = new ObjectMapper().readTree(Files.readAllBytes(file())).get("allocations").get(0).get("metadata");
        assertEquals("eni0123456789a", meta.get("hostVethName").textValue());
        assertEquals(List.of(entry), new FileCheckpointStore(file()).load().orElseThrow().allocations());
    }

    @Test
    void emptyCheckpointRoundTrips() throws Exception {
        var store = new FileCheckpointStore(file());
        store.save(Checkpoint.EMPTY);
        assertEquals(Optional.of(Checkpoint.EMPTY), store.load());
    }

    @Test
    void readsUpstreamFileIgnoringUnknownFields() throws Exception {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), UPSTREAM_SAMPLE);

        var loaded = new FileCheckpointStore(file()).load().orElseThrow().allocations();

        assertEquals(List.of(
                new CheckpointEntry("aws-cni", "5c5c1d7e9f2b8a4e3d6c0b1a29384756", "eth0", "192.168.23.117", "",
                        1718000000123456789L, "kube-system", "coredns-6b9575c64c-7xk2p", 1),
                new CheckpointEntry("aws-cni", "9f8e7d6c5b4a39281706f5e4d3c2b1a0", "eth0", "192.168.40.5",
                        "2600:1f14:abc:1200::3", 1718000456000000001L, "default", "web-0", 2)), loaded);
    }

    @Test
    void readsNullAllocationsAsNone() throws Exception {
        // Go marshals an empty slice as null.
        Files.createDirectories(file().getParent());
        Files.writeString(file(), "{\"version\":\"vpc-cni-ipam/1\",\"allocations\":null}");
        assertEquals(Optional.of(Checkpoint.EMPTY), new FileCheckpointStore(file()).load());
    }

    @Test
    void readsEntryWithoutMetadata() throws Exception {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), """
                {"version":"vpc-cni-ipam/1","allocations":[{"networkName":"aws-cni","containerID":"c1",\
                "ifName":"eth0","ipv4":"10.0.0.9","allocationTimestamp":5}]}""");
        assertEquals(List.of(new CheckpointEntry("aws-cni", "c1", "eth0", "10.0.0.9", "", 5, "", "", 0)),
                new FileCheckpointStore(file()).load().orElseThrow().allocations());
    }

    @Test
    void writesUpstreamShape() throws Exception {
        new FileCheckpointStore(file()).save(sample());
        var root = new ObjectMapper().readTree(Files.readAllBytes(file()));

        assertEquals(Set.of("version", "allocations"), fieldNames(root));
        assertEquals("vpc-cni-ipam/1", root.get("version").textValue());
        var all = root.get("allocations");
        assertEquals(3, all.size());

        var v4 = all.get(0);
        assertEquals(Set.of("networkName", "containerID", "ifName", "ipv4", "allocationTimestamp", "metadata"),
                fieldNames(v4));
        assertEquals("c0ffee01", v4.get("containerID").textValue());
        assertEquals("10.0.1.17", v4.get("ipv4").textValue());
        assertTrue(v4.get("allocationTimestamp").isIntegralNumber());
        assertEquals(1718000000123456789L, v4.get("allocationTimestamp").longValue());
        var meta = v4.get("metadata");
        assertEquals(Set.of("k8sPodNamespace", "k8sPodName", "interfacesCount"), fieldNames(meta));
        assertEquals("default", meta.get("k8sPodNamespace").textValue());
        assertEquals("web-0", meta.get("k8sPodName").textValue());
        assertTrue(meta.get("interfacesCount").isIntegralNumber());
        assertEquals(1, meta.get("interfacesCount").intValue());

        var v6 = all.get(1);
        assertEquals(Set.of("networkName", "containerID", "ifName", "ipv6", "allocationTimestamp", "metadata"),
                fieldNames(v6));
        assertEquals(Long.MAX_VALUE, v6.get("allocationTimestamp").longValue());

        assertTrue(all.get(2).has("ipv4") && all.get(2).has("ipv6"));
        // Compact, like Go's json.Marshal, and the field order of upstream's structs.
        var text = Files.readString(file());
        assertFalse(text.contains("\n"));
        assertTrue(text.startsWith("{\"version\":\"vpc-cni-ipam/1\",\"allocations\":[{\"networkName\":\"aws-cni\","
                + "\"containerID\":\"c0ffee01\",\"ifName\":\"eth0\",\"ipv4\":\"10.0.1.17\","
                + "\"allocationTimestamp\":1718000000123456789,\"metadata\":{\"k8sPodNamespace\":\"default\","
                + "\"k8sPodName\":\"web-0\",\"interfacesCount\":1}}"), text);
    }

    private static Set<String> fieldNames(JsonNode node) {
        var names = new TreeSet<String>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void missingFileIsAFreshNode() throws Exception {
        assertEquals(Optional.empty(), new FileCheckpointStore(file()).load());
        assertFalse(Files.exists(file().getParent()), "load must not create anything");
    }

    static Stream<Arguments> untrustworthy() {
        var valid = new String(CheckpointJson.write(sample()), StandardCharsets.UTF_8);
        return Stream.of(
                Arguments.of("empty", "", "empty"),
                Arguments.of("blank", " \n", "empty"),
                Arguments.of("truncated", valid.substring(0, valid.length() / 2), "truncated"),
                Arguments.of("not JSON", "ipam", "not valid JSON"),
                Arguments.of("trailing garbage", valid + "}", "not valid JSON"),
                Arguments.of("array", "[]", "not an object"),
                Arguments.of("no version", "{\"allocations\":[]}", "\"version\""),
                Arguments.of("newer version", "{\"version\":\"vpc-cni-ipam/2\",\"allocations\":[]}", "vpc-cni-ipam/2"),
                Arguments.of("allocations object", "{\"version\":\"vpc-cni-ipam/1\",\"allocations\":{}}", "not an array"),
                Arguments.of("malformed ipv4", UPSTREAM_SAMPLE.replace("192.168.40.5", "192.168.40.256"),
                        "allocations[1] (containerID \"9f8e7d6c5b4a39281706f5e4d3c2b1a0\") ipv4 \"192.168.40.256\""),
                Arguments.of("malformed ipv6", UPSTREAM_SAMPLE.replace("2600:1f14:abc:1200::3", "2600::abc::3"),
                        "ipv6 \"2600::abc::3\""),
                Arguments.of("no address", UPSTREAM_SAMPLE.replace("\"ipv4\":\"192.168.23.117\",", ""),
                        "neither an ipv4 nor an ipv6"),
                Arguments.of("timestamp string", UPSTREAM_SAMPLE.replace("1718000000123456789", "\"1718000000123456789\""),
                        "allocations[0].allocationTimestamp"),
                Arguments.of("timestamp float", UPSTREAM_SAMPLE.replace("1718000000123456789", "1.5"),
                        "not a 64-bit integer"),
                Arguments.of("timestamp overflow", UPSTREAM_SAMPLE.replace("1718000000123456789", "99999999999999999999"),
                        "not a 64-bit integer"),
                Arguments.of("containerID number", UPSTREAM_SAMPLE.replace("\"5c5c1d7e9f2b8a4e3d6c0b1a29384756\"", "5"),
                        "allocations[0].containerID is a JSON number"),
                Arguments.of("metadata string", UPSTREAM_SAMPLE.replace(
                        "{\"k8sPodNamespace\":\"default\",\"k8sPodName\":\"web-0\",\"interfacesCount\":2,\"podUID\":\"u-1\"}",
                        "\"x\""), "allocations[1].metadata is not an object"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("untrustworthy")
    void refusesUntrustworthyFileAndLeavesItAlone(String name, String content, String reason) throws Exception {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), content);
        var before = Files.readAllBytes(file());
        var store = new FileCheckpointStore(file());

        var e = assertThrows(CheckpointException.class, store::load);

        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertRecoveryAdvice(e);
        assertArrayEquals(before, Files.readAllBytes(file()));
        // Having failed to load, the store will not overwrite the evidence either.
        var refused = assertThrows(CheckpointException.class, () -> store.save(sample()));
        assertTrue(refused.getMessage().contains("Refusing to overwrite"), refused.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file()));
        assertEquals(List.of(file().getFileName()), listing());
    }

    @Test
    void unreadableFileIsRefused() throws Exception {
        // Root reads anything, so a directory stands in for a file that cannot be read.
        Files.createDirectories(file());
        var e = assertThrows(CheckpointException.class, new FileCheckpointStore(file())::load);
        assertTrue(e.getMessage().contains("cannot be read"), e.getMessage());
        assertRecoveryAdvice(e);
        assertTrue(Files.isDirectory(file()));
    }

    private void assertRecoveryAdvice(CheckpointException e) {
        var m = e.getMessage();
        assertTrue(m.contains(file().toString()), "names the file: " + m);
        assertTrue(m.contains("will not assign"), "says what ipamd does: " + m);
        assertTrue(m.contains("repair it") && m.contains("drain") && m.contains("copy " + file() + " off the node")
                && m.contains("do not just delete it") && m.contains("reboot the node"), "says how to recover safely: " + m);
    }

    @Test
    void failedSaveLeavesPreviousFileIntact() throws Exception {
        var failing = new boolean[] {false};
        var store = new FileCheckpointStore(file(), temp -> {
            if (failing[0]) {
                throw new IOException("No space left on device");
            }
        });
        var first = new Checkpoint(List.of(sample().allocations().get(0)));
        store.save(first);
        var before = Files.readAllBytes(file());

        failing[0] = true;
        var e = assertThrows(CheckpointException.class, () -> store.save(sample()));

        assertTrue(e.getMessage().contains(file().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        assertTrue(e.getMessage().contains("previous checkpoint is unchanged"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file()));
        assertEquals(List.of(file().getFileName()), listing(), "the temp file is removed");
        assertEquals(Optional.of(first), new FileCheckpointStore(file()).load());

        failing[0] = false;
        store.save(sample());
        assertEquals(Optional.of(sample()), store.load());
    }

    @Test
    void saveFailsWhenDirectoryCannotBeCreated() throws Exception {
        var notADirectory = tmp.resolve("run");
        Files.writeString(notADirectory, "a regular file");
        var target = notADirectory.resolve("ipam.json");

        var e = assertThrows(CheckpointException.class, () -> new FileCheckpointStore(target).save(sample()));

        assertTrue(e.getMessage().contains(target.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("could not create directory"), e.getMessage());
        assertEquals("a regular file", Files.readString(notADirectory));
    }

    @Test
    void createsMissingDirectoryPrivately() throws Exception {
        new FileCheckpointStore(file()).save(sample());
        assertEquals("rwx------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(file().getParent())));
    }

    @Test
    void saveReplacesAndLeavesNoTempFiles() throws Exception {
        var store = new FileCheckpointStore(file());
        for (int i = 0; i < 5; i++) {
            store.save(new Checkpoint(sample().allocations().subList(0, i % 3 + 1)));
        }
        assertEquals(Optional.of(new Checkpoint(sample().allocations().subList(0, 2))), store.load());
        assertEquals(List.of(file().getFileName()), listing());
    }

    @Test
    void leftoverTempFileIsIgnoredAndRemoved() throws Exception {
        var store = new FileCheckpointStore(file());
        store.save(sample());
        var leftover = file().resolveSibling("ipam.json.tmp-8812731");
        Files.writeString(leftover, "{\"version\":\"vpc-cni-ipam/1\",\"allocations\":[{\"netw");
        var otherNics = file().resolveSibling("ipam-nic-1.json.tmp-42");
        Files.writeString(otherNics, "not ours");

        assertEquals(Optional.of(sample()), new FileCheckpointStore(file()).load());

        assertFalse(Files.exists(leftover));
        assertTrue(Files.exists(otherNics), "another NIC's checkpoint files are not this store's business");
    }

    @Test
    void leftoverTempFileWithoutCheckpointIsAFreshNode() throws Exception {
        Files.createDirectories(file().getParent());
        var leftover = file().resolveSibling("ipam.json.tmp-1");
        Files.writeString(leftover, CheckpointJson.write(sample()).length + "");
        assertEquals(Optional.empty(), new FileCheckpointStore(file()).load());
        assertFalse(Files.exists(leftover));
    }

    @Test
    void pendingInterruptDoesNotAbortTheSave() throws Exception {
        var store = new FileCheckpointStore(file());
        var outcome = new ArrayList<Object>();
        var t = Thread.ofPlatform().start(() -> {
            Thread.currentThread().interrupt();
            try {
                store.save(sample());
                outcome.add(Thread.currentThread().isInterrupted());
            } catch (CheckpointException e) {
                outcome.add(e);
            }
        });
        t.join();
        assertEquals(List.of(true), outcome, "saved, and the interrupt is still pending for the caller");
        assertEquals(Optional.of(sample()), store.load());
    }

    private List<Path> listing() throws IOException {
        try (var files = Files.list(file().getParent())) {
            return files.map(Path::getFileName).sorted().toList();
        }
    }
}
