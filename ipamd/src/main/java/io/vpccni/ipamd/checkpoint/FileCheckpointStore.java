package io.vpccni.ipamd.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoint as one JSON file in upstream's format, replaced atomically: the new content goes to a temp
 * file in the same directory, is fsynced, renamed over the target, and the directory is fsynced so the rename
 * itself survives a power cut. A reader therefore sees the old file or the new one, never a mix.
 *
 * <p>A file that fails to load is evidence of which pods hold which addresses; this store never deletes or
 * overwrites it. After a failed load, {@link #save} refuses until the process is restarted with a good file.
 *
 * <p>Methods are synchronized: {@link #load} removes leftover temp files and must not remove one that a
 * concurrent {@link #save} is about to rename.
 */
public final class FileCheckpointStore implements CheckpointStore {
    /** Upstream's default for {@code AWS_VPC_K8S_CNI_BACKING_STORE}. */
    public static final Path DEFAULT_PATH = Path.of("/var/run/aws-node/ipam.json");

    private static final Logger log = LoggerFactory.getLogger(FileCheckpointStore.class);

    /** A test seam: runs after the temp file is durable and before it replaces the target. */
    @FunctionalInterface
    interface BeforeRename {
        void run(Path tempFile) throws IOException;
    }

    private final Path file;
    private final Path dir;
    private final String tempPrefix;
    private final BeforeRename beforeRename;
    private String refusal;

    public FileCheckpointStore(Path file) {
        this(file, temp -> { });
    }

    FileCheckpointStore(Path file, BeforeRename beforeRename) {
        this.file = file.toAbsolutePath().normalize();
        this.dir = this.file.getParent();
        this.tempPrefix = this.file.getFileName() + ".tmp-";
        this.beforeRename = beforeRename;
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized Optional<Checkpoint> load() throws CheckpointException {
        removeLeftoverTempFiles();
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw refuse("it cannot be read (" + e + ")", e);
        }
        try {
            return Optional.of(CheckpointJson.read(content));
        } catch (CheckpointJson.Malformed e) {
            var advice = e.unsupportedVersion
                    ? " The aws-node release that wrote it can read it as it is."
                    : "";
            throw refuse(e.getMessage() + "." + advice, e);
        }
    }

    @Override
    public synchronized void save(Checkpoint checkpoint) throws CheckpointException {
        if (refusal != null) {
            throw new CheckpointException("Refusing to overwrite checkpoint " + file + ", which failed to load: "
                    + refusal + " Restart aws-node once the file has been dealt with.");
        }
        var content = CheckpointJson.write(checkpoint);
        // FileChannel operations abort on interrupt and would fail the whole group a writer is saving for;
        // an interrupt that arrived before the save is deferred until it is done.
        boolean interrupted = Thread.interrupted();
        try {
            write(content);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void write(byte[] content) throws CheckpointException {
        createDirectory();
        Path temp;
        try {
            temp = Files.createTempFile(dir, tempPrefix, "");
        } catch (IOException e) {
            throw saveFailed("could not create a temp file in " + dir, e, true);
        }
        try {
            try (var ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                var buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            beforeRename.run(temp);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw saveFailed("could not write and rename " + temp, e, true);
        }
        try {
            forceDirectory(dir);
        } catch (IOException e) {
            throw saveFailed("replaced it, but could not fsync directory " + dir, e, false);
        }
    }

    private void createDirectory() throws CheckpointException {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            // The new directory's own entry must be durable too, or the file in it can vanish with it.
            if (dir.getParent() != null) {
                forceDirectory(dir.getParent());
            }
        } catch (IOException e) {
            throw saveFailed("could not create directory " + dir, e, true);
        }
    }

    // Linux lets a directory be opened read-only and fsynced; that is how a rename is made durable.
    private static void forceDirectory(Path directory) throws IOException {
        try (var ch = FileChannel.open(directory, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private void removeLeftoverTempFiles() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (var leftovers = Files.newDirectoryStream(dir, p -> p.getFileName().toString().startsWith(tempPrefix))) {
            for (var temp : leftovers) {
                // Only a save writes these, and it renames or deletes its own before returning: one that is
                // still here was cut short by a crash and never became the checkpoint.
                if (Files.isRegularFile(temp)) {
                    log.warn("Removing {}, left behind by a checkpoint save that did not finish", temp);
                    deleteQuietly(temp);
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            log.warn("Could not look for leftover checkpoint temp files in {}: {}", dir, e.toString());
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            log.warn("Could not delete checkpoint temp file {}: {}", temp, e.toString());
        }
    }

    private CheckpointException refuse(String what, Exception cause) {
        refusal = what;
        return new CheckpointException("Checkpoint " + file + " cannot be trusted: " + what
                + " ipamd will not assign any address on this node, because it cannot tell which addresses the"
                + " pods already running here hold, and an address given to a second pod breaks both."
                + " The file has been left as it is. To recover, either repair it (JSON, format \""
                + Checkpoint.VERSION + "\") and restart aws-node, which keeps running pods on their addresses;"
                + " or cordon and drain this node, copy " + file + " off the node for diagnosis and move it aside"
                + " (do not just delete it), then reboot the node, so that no pod keeps an address from before"
                + " (DaemonSet pods survive a drain); aws-node then starts with no allocations. Replacing the node"
                + " is as safe.", cause);
    }

    private CheckpointException saveFailed(String what, IOException cause, boolean previousIntact) {
        var reason = cause instanceof ClosedByInterruptException ? "the saving thread was interrupted"
                : cause instanceof AccessDeniedException ? "permission denied"
                : cause.toString();
        return new CheckpointException("Could not save checkpoint " + file + ": " + what + " (" + reason + "). "
                + (previousIntact
                        ? "The previous checkpoint is unchanged; the change must be undone and retried."
                        : "The new checkpoint may not survive a crash; the change must be undone and retried.")
                + " Check that " + dir + " is writable and its filesystem is not full or read-only.", cause);
    }
}
