package io.vpccni.ipamd.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a checkpoint file without touching it or its directory, for a reader beside the running daemon (the doctor):
 * unlike {@link FileCheckpointStore#load}, it removes no leftover temp file, which could be the daemon's save in flight.
 */
public final class CheckpointFile {
    /** What the file holds. */
    public sealed interface Reading {
    }

    /** No file: a node that never saved one. */
    public record Absent(Path file) implements Reading {
    }

    /** A file that cannot be used; {@code unsupportedVersion} when only its format version is the matter. */
    public record Unreadable(Path file, String why, boolean unsupportedVersion) implements Reading {
    }

    public record Read(Path file, Checkpoint checkpoint) implements Reading {
    }

    private CheckpointFile() {
    }

    public static Reading read(Path file) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new Absent(file);
        } catch (IOException e) {
            return new Unreadable(file, "it cannot be read (" + e + ")", false);
        }
        try {
            return new Read(file, CheckpointJson.read(content));
        } catch (CheckpointJson.Malformed e) {
            return new Unreadable(file, e.getMessage(), e.unsupportedVersion);
        }
    }
}
