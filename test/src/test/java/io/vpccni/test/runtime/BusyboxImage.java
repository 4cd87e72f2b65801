package io.vpccni.test.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The one image the runtime tier runs: Debian's static busybox, built with buildah into podman's store under
 * test/target/runtime (no registry), once per build tree. It serves {@code /www/cgi-bin/whoami}, which answers
 * with the address the request came from: a container running {@code httpd} tells a test whether a connection
 * reached it unchanged or SNATed. Its default command is that server on :8080, which never exits: as containerd's
 * sandbox ("pause") image, every CRI pod sandbox serves whoami too. containerd gets it as an OCI archive.
 */
final class BusyboxImage {
    /** The tools the tests call inside containers; each a link to busybox. */
    private static final List<String> APPLETS = List.of("sh", "sleep", "httpd", "wget", "nc", "ping", "ip", "cat", "echo", "hostname", "timeout");
    /** httpd listens dual-stack, so an IPv4 client arrives as [::ffff:a.b.c.d]; the answer is the plain address. */
    private static final String WHOAMI = """
            #!/bin/sh
            a=${REMOTE_ADDR#\\[::ffff:}
            printf 'Content-Type: text/plain\\r\\n\\r\\n%s\\n' "${a%\\]}"
            """;
    static final String SERVE = "[\"/bin/httpd\",\"-f\",\"-p\",\"8080\",\"-h\",\"/www\"]";
    /** Tagged with what it is made of, so a change to the image rebuilds it instead of reusing a stale one. */
    static final String NAME = "localhost/vpccni-busybox:" + Integer.toHexString((WHOAMI + APPLETS + SERVE).hashCode());

    private BusyboxImage() {
    }

    /** The image in {@code store}, built there first if missing. */
    static synchronized void ensureIn(PodmanStore store) {
        if (store.podman("image", "exists", NAME).ok()) {
            return;
        }
        var rootfs = rootfs();
        var container = store.buildah("from", "scratch").orThrow().strip();
        try {
            store.buildah("add", container, rootfs.toString(), "/").orThrow();
            store.buildah("config", "--cmd", SERVE, "--workingdir", "/", container).orThrow();
            store.buildah("commit", "-q", container, NAME).orThrow();
        } finally {
            store.buildah("rm", container);
        }
    }

    /** The image as an OCI archive (for {@code ctr images import}), saved once beside the store. */
    static synchronized Path ociArchive(PodmanStore store) {
        var archive = BuildTree.cache().resolve("vpccni-busybox-" + NAME.substring(NAME.indexOf(':') + 1) + ".oci.tar");
        if (!Files.exists(archive)) {
            ensureIn(store);
            var partial = archive.resolveSibling(archive.getFileName() + ".partial");
            Command.of("rm", "-f", partial.toString()).run();
            store.podman("save", "--format", "oci-archive", "-o", partial.toString(), NAME).orThrow();
            Command.of("mv", partial.toString(), archive.toString()).output();
        }
        return archive;
    }

    /** The whoami CGI tree, also served by httpd outside containers (the "outside" server, the node's own). */
    static Path www() {
        var www = BuildTree.cache().resolve("www");
        try {
            var script = www.resolve("cgi-bin/whoami");
            if (!Files.exists(script) || !Files.readString(script).equals(WHOAMI)) {
                Files.createDirectories(script.getParent());
                Files.writeString(script, WHOAMI);
                Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            return www;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path rootfs() {
        var rootfs = BuildTree.cache().resolve("busybox-rootfs");
        var busybox = Path.of("/bin/busybox");
        if (!Files.isExecutable(busybox)) {
            throw new IllegalStateException("no /bin/busybox: install Debian's busybox-static (test/bin/requirements lists it)");
        }
        try {
            Command.of("rm", "-rf", rootfs.toString()).output();
            var bin = Files.createDirectories(rootfs.resolve("bin"));
            Files.copy(busybox, bin.resolve("busybox"));
            for (var applet : APPLETS) {
                Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
            }
            Command.of("cp", "-a", www().toString(), rootfs.resolve("www").toString()).output();
            Files.createDirectories(rootfs.resolve("tmp"));
            return rootfs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
