package io.vpccni.ipamd.install;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the node's conflist into the runtime's config dir. kubelet reports the node's network ready as soon as a
 * conflist is there, so the daemon writes it only once its pool is open: a pod scheduled earlier would fail its
 * sandbox rather than wait. The same content is not rewritten (a runtime reloads its config on every change).
 */
public final class ConflistWriter {
    private static final Logger log = LoggerFactory.getLogger(ConflistWriter.class);

    private final Path file;
    private final String content;

    public ConflistWriter(Path confDir, CniConfig config) {
        this.file = confDir.resolve(Conflist.FILE_NAME);
        this.content = Conflist.render(config);
    }

    public Path file() {
        return file;
    }

    /** @return whether it wrote; false when the file held this content already */
    public boolean write() throws IOException {
        Files.createDirectories(file.getParent());
        if (Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).equals(content)) {
            log.info("{} is up to date", file);
            return false;
        }
        AtomicFiles.write(file, content.getBytes(StandardCharsets.UTF_8), AtomicFiles.READABLE);
        log.info("wrote {}: the node's pods can be wired from now on", file);
        return true;
    }
}
