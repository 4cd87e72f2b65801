package io.vpccni.ipamd.install;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PluginInstallerTest {
    @TempDir
    Path root;
    private Path source, plugins, bin;

    @BeforeEach
    void sources() throws IOException {
        source = Files.createDirectories(root.resolve("app/cni"));
        plugins = Files.createDirectories(root.resolve("usr/lib/cni"));
        bin = root.resolve("host/opt/cni/bin");
        // A launcher shaped as cni-plugin's packaging writes it, which prints the jar it would run.
        executable(source.resolve("aws-cni"), "#!/bin/sh\nd=${0%/*}/aws-cni.d\nexec cat \"$d/aws-cni.jar\"\n");
        release("jar v1");
        for (var name : PluginInstaller.CHAINED) {
            executable(plugins.resolve(name), "#!/bin/sh\necho " + name + "\n");
        }
    }

    private void release(String jar) throws IOException {
        Files.createDirectories(source.resolve("aws-cni.d/jre/bin"));
        Files.writeString(source.resolve("aws-cni.d/aws-cni.jar"), jar);
        executable(source.resolve("aws-cni.d/jre/bin/java"), "#!/bin/sh\n");
    }

    private static void executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private String run(Path launcher) throws IOException, InterruptedException {
        var p = new ProcessBuilder(launcher.toString()).redirectErrorStream(true).start();
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    private List<String> runtimeDirs() throws IOException {
        try (var entries = Files.list(bin)) {
            return entries.map(e -> e.getFileName().toString()).filter(n -> n.contains("aws-cni.d")).sorted().toList();
        }
    }

    @Test
    void installsARunnablePluginAndTheChainedPlugins() throws Exception {
        var installed = new PluginInstaller(new PluginInstaller.Sources(source, plugins)).install(bin);
        assertEquals(4, installed.size(), installed.toString());
        assertEquals("jar v1", run(bin.resolve("aws-cni")), "the installed launcher runs the installed runtime");
        assertTrue(Files.isExecutable(bin.resolve(runtimeDirs().getFirst()).resolve("jre/bin/java")), "modes are kept");
        for (var name : PluginInstaller.CHAINED) {
            assertEquals(name + "\n", run(bin.resolve(name)));
        }
        try (var entries = Files.list(bin)) {
            assertFalse(entries.anyMatch(e -> e.getFileName().toString().endsWith(".tmp")), "no temporary file is left");
        }
    }

    @Test
    void anUpgradeKeepsTheRuntimeACallInFlightMayUseAndRemovesOlderOnes() throws Exception {
        var installer = new PluginInstaller(new PluginInstaller.Sources(source, plugins));
        installer.install(bin);
        var v1 = runtimeDirs();
        installer.install(bin);
        assertEquals(v1, runtimeDirs(), "the same release installs into the same directory");

        release("jar v2");
        installer.install(bin);
        assertEquals("jar v2", run(bin.resolve("aws-cni")));
        var v2 = runtimeDirs();
        assertEquals(2, v2.size(), "v1 is kept for calls that started before the launcher was replaced: " + v2);
        assertTrue(v2.containsAll(v1));

        release("jar v3");
        installer.install(bin);
        var v3 = runtimeDirs();
        assertEquals(2, v3.size(), v3.toString());
        assertFalse(v3.containsAll(v1), "v1 is no launcher's any more: removed");
        assertEquals("jar v3", run(bin.resolve("aws-cni")));
    }

    @Test
    void missingSourcesAreNamedAndNothingIsInstalled() throws Exception {
        Files.delete(plugins.resolve("portmap"));
        var e = assertThrows(IOException.class, () -> new PluginInstaller(new PluginInstaller.Sources(source, plugins)).install(bin));
        assertTrue(e.getMessage().contains("portmap") && e.getMessage().contains("CNI_PLUGINS_SOURCE_DIR"), e.getMessage());
        assertFalse(Files.exists(bin), "checked before anything is written");

        var e2 = assertThrows(IOException.class, () -> new PluginInstaller(new PluginInstaller.Sources(root, plugins)).install(bin));
        assertTrue(e2.getMessage().contains("AWS_CNI_SOURCE_DIR"), e2.getMessage());
    }
}
