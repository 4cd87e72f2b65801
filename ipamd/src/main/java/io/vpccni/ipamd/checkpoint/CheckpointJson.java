package io.vpccni.ipamd.checkpoint;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Upstream's checkpoint format, {@code {"version":"vpc-cni-ipam/1","allocations":[...]}}, by hand on Jackson's
 * tree and generator: the field names are a wire contract, so they are spelled out here rather than derived
 * from Java names, and a bad entry is reported by its index and field.
 *
 * <p>Reading is forward compatible (unknown fields are ignored) but strict about what it uses: a field of the
 * wrong type, a timestamp that is not an integer, or a malformed address fails the whole file.
 */
final class CheckpointJson {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Ours, in each entry's metadata; upstream ignores it. */
    static final String HOST_VETH = "hostVethName";

    private CheckpointJson() {
    }

    /** Why a file's content is not a usable checkpoint; the caller adds which file and what to do. */
    static final class Malformed extends Exception {
        final boolean unsupportedVersion;

        Malformed(String message, boolean unsupportedVersion) {
            super(message);
            this.unsupportedVersion = unsupportedVersion;
        }

        Malformed(String message) {
            this(message, false);
        }
    }

    static byte[] write(Checkpoint checkpoint) {
        var out = new ByteArrayOutputStream(128 + 256 * checkpoint.allocations().size());
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("version", Checkpoint.VERSION);
            g.writeArrayFieldStart("allocations");
            for (var e : checkpoint.allocations()) {
                g.writeStartObject();
                g.writeStringField("networkName", e.networkName());
                g.writeStringField("containerID", e.containerId());
                g.writeStringField("ifName", e.ifName());
                if (!e.ipv4().isEmpty()) {
                    g.writeStringField("ipv4", e.ipv4());
                }
                if (!e.ipv6().isEmpty()) {
                    g.writeStringField("ipv6", e.ipv6());
                }
                g.writeNumberField("allocationTimestamp", e.allocationTimestampNanos());
                g.writeObjectFieldStart("metadata");
                g.writeStringField("k8sPodNamespace", e.podNamespace());
                g.writeStringField("k8sPodName", e.podName());
                g.writeNumberField("interfacesCount", e.interfacesCount());
                if (!e.hostVeth().isEmpty()) {
                    g.writeStringField(HOST_VETH, e.hostVeth());
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            if (!checkpoint.cooling().isEmpty()) {
                g.writeArrayFieldStart("cooling");
                for (var c : checkpoint.cooling()) {
                    g.writeStartObject();
                    g.writeStringField("ipv4", c.ipv4());
                    g.writeNumberField("releasedAt", c.releasedAtNanos());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    static Checkpoint read(byte[] content) throws Malformed {
        if (isBlank(content)) {
            throw new Malformed("the file is empty");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(content);
        } catch (JsonEOFException e) {
            throw new Malformed("the JSON ends before it is complete (was the file truncated?): " + describe(e));
        } catch (JsonProcessingException e) {
            throw new Malformed("it is not valid JSON: " + describe(e));
        } catch (IOException e) {
            throw new Malformed("it is not valid JSON: " + e.getMessage());
        }
        if (!root.isObject()) {
            throw new Malformed("the top level is a JSON " + root.getNodeType().name().toLowerCase() + ", not an object");
        }
        var version = root.get("version");
        if (version == null || !version.isTextual()) {
            throw new Malformed("it has no \"version\" string; expected \"" + Checkpoint.VERSION + "\"");
        }
        if (!Checkpoint.VERSION.equals(version.textValue())) {
            throw new Malformed("its version is \"" + version.textValue() + "\" and this build reads only \""
                    + Checkpoint.VERSION + "\"", true);
        }
        var allocations = root.get("allocations");
        // Go writes an empty slice as null, so null and absent both mean "no allocations".
        if (allocations == null || allocations.isNull()) {
            return Checkpoint.EMPTY;
        }
        if (!allocations.isArray()) {
            throw new Malformed("\"allocations\" is not an array");
        }
        var entries = new ArrayList<CheckpointEntry>(allocations.size());
        for (int i = 0; i < allocations.size(); i++) {
            entries.add(entry(allocations.get(i), "allocations[" + i + "]"));
        }
        return new Checkpoint(entries, cooling(root.get("cooling")));
    }

    private static List<Checkpoint.Released> cooling(JsonNode cooling) throws Malformed {
        if (cooling == null || cooling.isNull()) {
            return List.of();
        }
        if (!cooling.isArray()) {
            throw new Malformed("\"cooling\" is not an array");
        }
        var out = new ArrayList<Checkpoint.Released>(cooling.size());
        for (int i = 0; i < cooling.size(); i++) {
            var node = cooling.get(i);
            var where = "cooling[" + i + "]";
            if (!node.isObject() || !node.path("ipv4").isTextual() || !node.path("releasedAt").isIntegralNumber()) {
                throw new Malformed(where + " must be an object with an \"ipv4\" string and a \"releasedAt\" integer");
            }
            try {
                out.add(new Checkpoint.Released(node.get("ipv4").textValue(), node.get("releasedAt").longValue()));
            } catch (IllegalArgumentException e) {
                throw new Malformed(where + ": " + e.getMessage());
            }
        }
        return out;
    }

    private static CheckpointEntry entry(JsonNode node, String where) throws Malformed {
        if (!node.isObject()) {
            throw new Malformed(where + " is not an object");
        }
        var metadata = node.get("metadata");
        if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
            throw new Malformed(where + ".metadata is not an object");
        }
        if (metadata == null || metadata.isNull()) {
            metadata = MAPPER.createObjectNode();
        }
        long count = integer(metadata, "interfacesCount", where + ".metadata");
        if (count < 0 || count > Integer.MAX_VALUE) {
            throw new Malformed(where + ".metadata.interfacesCount " + count + " is out of range");
        }
        try {
            return new CheckpointEntry(
                    text(node, "networkName", where),
                    text(node, "containerID", where),
                    text(node, "ifName", where),
                    text(node, "ipv4", where),
                    text(node, "ipv6", where),
                    integer(node, "allocationTimestamp", where),
                    text(metadata, "k8sPodNamespace", where + ".metadata"),
                    text(metadata, "k8sPodName", where + ".metadata"),
                    (int) count,
                    text(metadata, HOST_VETH, where + ".metadata"));
        } catch (IllegalArgumentException e) {
            throw new Malformed(where + " (containerID \"" + text(node, "containerID", where) + "\") "
                    + e.getMessage());
        }
    }

    // Absent or null reads as empty, as Go's decoder leaves a missing field at its zero value.
    private static String text(JsonNode parent, String field, String where) throws Malformed {
        var v = parent.get(field);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw new Malformed(where + "." + field + " is a JSON " + v.getNodeType().name().toLowerCase()
                    + ", not a string");
        }
        return v.textValue();
    }

    private static long integer(JsonNode parent, String field, String where) throws Malformed {
        var v = parent.get(field);
        if (v == null || v.isNull()) {
            return 0;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new Malformed(where + "." + field + " is " + v + ", not a 64-bit integer");
        }
        return v.longValue();
    }

    private static boolean isBlank(byte[] content) {
        for (byte b : content) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private static String describe(JsonProcessingException e) {
        var at = e.getLocation();
        return e.getOriginalMessage().lines().findFirst().orElse("")
                + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
    }
}
