package io.vpccni.ipamd.install;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Installs the plugins into the host's CNI bin dir while runtimes keep exec'ing them. aws-cni is a launcher plus
 * a runtime directory (jar, AOT cache, JVM): the directory is installed under a name holding its content's hash,
 * complete before anything points at it, and the launcher, rewritten to point at it, replaces the old one in one
 * rename. A call started a moment before runs the old launcher against the old directory, which is kept until the
 * next install; older ones are removed. The plugins the conflist chains (loopback, portmap, bandwidth) are
 * replaced file by file.
 */
public final class PluginInstaller {
    private static final Logger log = LoggerFactory.getLogger(PluginInstaller.class);
    /** The launcher's line naming its runtime directory, as cni-plugin's packaging writes it. */
    private static final String RUNTIME_DIR_LINE = "d=${0%/*}/aws-cni.d\n";
    private static final Pattern INSTALLED_DIR = Pattern.compile("d=\\$\\{0%/\\*}/(aws-cni\\.d-[0-9a-f]{16})\n");
    public static final List<String> CHAINED = List.of("loopback", "portmap", "bandwidth");

    /**
     * @param awsCni     the directory holding {@code aws-cni} and {@code aws-cni.d/} (the image's /app/cni)
     * @param cniPlugins the directory holding Debian's reference plugins (/usr/lib/cni)
     */
    public record Sources(Path awsCni, Path cniPlugins) {
    }

    private final Sources sources;

    public PluginInstaller(Sources sources) {
        this.sources = sources;
    }

    /** @return what was installed, e.g. {@code [aws-cni (aws-cni.d-0123…), loopback, portmap, bandwidth]} */
    public List<String> install(Path binDir) throws IOException {
        var launcher = sources.awsCni().resolve("aws-cni");
        var runtime = sources.awsCni().resolve("aws-cni.d");
        require(Files.isExecutable(launcher), launcher + " is missing or not executable: AWS_CNI_SOURCE_DIR must hold the plugin's "
                + "aws-cni and aws-cni.d (the image's /app/cni, or cni-plugin/target/dist in a source tree)");
        require(Files.isDirectory(runtime), runtime + " is not a directory: AWS_CNI_SOURCE_DIR must hold aws-cni.d");
        for (var name : CHAINED) {
            require(Files.isExecutable(sources.cniPlugins().resolve(name)), sources.cniPlugins().resolve(name)
                    + " is missing: CNI_PLUGINS_SOURCE_DIR must hold the reference plugins (Debian's containernetworking-plugins)");
        }
        Files.createDirectories(binDir);
        var text = Files.readString(launcher, StandardCharsets.UTF_8);
        require(text.indexOf(RUNTIME_DIR_LINE) >= 0 && text.indexOf(RUNTIME_DIR_LINE) == text.lastIndexOf(RUNTIME_DIR_LINE),
                launcher + " does not name its runtime directory as expected (" + RUNTIME_DIR_LINE.strip() + ")");

        var dirName = "aws-cni.d-" + contentHash(launcher, runtime);
        var installed = binDir.resolve(dirName);
        if (!Files.isDirectory(installed)) {
            var temp = AtomicFiles.temp(installed);
            deleteTree(temp);
            copyTree(runtime, temp);
            Files.move(temp, installed, StandardCopyOption.ATOMIC_MOVE);
        }
        var target = binDir.resolve("aws-cni");
        var previous = previousRuntimeDir(target);
        AtomicFiles.write(target, text.replace(RUNTIME_DIR_LINE, "d=${0%/*}/" + dirName + "\n").getBytes(StandardCharsets.UTF_8),
                AtomicFiles.EXECUTABLE);
        removeOlderRuntimes(binDir, dirName, previous);

        var done = new ArrayList<String>();
        done.add("aws-cni (" + dirName + ")");
        for (var name : CHAINED) {
            AtomicFiles.copy(sources.cniPlugins().resolve(name), binDir.resolve(name), AtomicFiles.EXECUTABLE);
            done.add(name);
        }
        log.info("installed into {}: {}", binDir, String.join(", ", done));
        return done;
    }

    /** The runtime directory the launcher being replaced runs, which calls in flight may still use. */
    private static Optional<String> previousRuntimeDir(Path launcher) throws IOException {
        if (!Files.isRegularFile(launcher)) {
            return Optional.empty();  // a first install, or upstream's Go binary
        }
        var m = INSTALLED_DIR.matcher(Files.readString(launcher, StandardCharsets.ISO_8859_1));
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static void removeOlderRuntimes(Path binDir, String current, Optional<String> previous) throws IOException {
        try (var entries = Files.list(binDir)) {
            for (var dir : entries.toList()) {
                var name = dir.getFileName().toString();
                var runtimeDir = name.startsWith("aws-cni.d-") || name.startsWith(".aws-cni.d-");
                if (runtimeDir && !name.equals(current) && !previous.map(name::equals).orElse(false)) {
                    deleteTree(dir);
                    log.info("removed {}, which no launcher runs any more", dir);
                }
            }
        }
    }

    /** Of the launcher (which names the AOT cache, itself named after the jar's hash) and the JVM's release file. */
    private static String contentHash(Path launcher, Path runtime) throws IOException {
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            digest.update(Files.readAllBytes(launcher));
            digest.update(Files.readAllBytes(runtime.resolve("aws-cni.jar")));
            var release = runtime.resolve("jre/release");
            if (Files.isRegularFile(release)) {
                digest.update(Files.readAllBytes(release));
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES,
                        LinkOption.NOFOLLOW_LINKS);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void require(boolean condition, String message) throws IOException {
        if (!condition) {
            throw new IOException(message);
        }
    }
}
