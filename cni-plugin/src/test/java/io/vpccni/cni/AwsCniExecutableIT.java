package io.vpccni.cni;

import io.vpccni.cni.json.Json;
import io.vpccni.ipamd.testing.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged launcher (target/dist/aws-cni), exec'd exactly as a runtime execs it: environment and stdin, no argv. */
class AwsCniExecutableIT {
    private static final Path DIST = Path.of("target/dist");

    @TempDir
    Path dir;

    record Result(int exit, String stdout, String stderr) {
    }

    static Result exec(Path launcher, Map<String, String> env, String stdin) throws IOException, InterruptedException {
        var pb = new ProcessBuilder(launcher.toAbsolutePath().toString());
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        pb.environment().putAll(env);
        var p = pb.start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        var err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out, err);
    }

    private Map<String, String> env(String command) {
        return Map.of("CNI_COMMAND", command, "CNI_CONTAINERID", "c0ffee", "CNI_NETNS", "/var/run/netns/cni-1",
                "CNI_IFNAME", "eth0", "CNI_PATH", "/opt/cni/bin", "CNI_ARGS", "IgnoreUnknown=1;K8S_POD_NAME=web-0;K8S_POD_NAMESPACE=shop",
                "AWS_VPC_K8S_PLUGIN_LOG_FILE", dir.resolve("plugin.log").toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void addAndDelThroughTheLauncher() throws Exception {
        try (var daemon = new TestDaemon(dir.resolve("ipamd.sock"), "10.0.1.5")) {
            var conf = PluginRun.conf("1.0.0", daemon.server.socket(), dir.resolve("plugin.log"), "");
            var add = exec(DIST.resolve("aws-cni"), env("ADD"), conf);
            assertEquals(0, add.exit(), add.stdout() + add.stderr());
            var result = (Map<String, Object>) Json.parse(add.stdout());
            assertEquals("10.0.1.5/32", ((List<Map<String, Object>>) result.get("ips")).getFirst().get("address"));
            assertEquals("", add.stderr());

            var del = exec(DIST.resolve("aws-cni"), env("DEL"), conf);
            assertEquals(0, del.exit(), del.stdout() + del.stderr());
            assertEquals("", del.stdout());
            assertEquals(0, daemon.allocator.status().assignedAddresses());
        }
    }

    @Test
    void errorsAreOneJsonObjectOnStdoutAndANonZeroExit() throws Exception {
        var r = exec(DIST.resolve("aws-cni"), env("ADD"), "{oops");
        assertEquals(1, r.exit());
        assertEquals(6L, ((Map<?, ?>) Json.parse(r.stdout())).get("code"));
    }

    @Test
    void aDamagedAotCacheNeverReachesStdout() throws Exception {
        var copy = dir.resolve("bin");
        copyTree(DIST, copy);
        try (var caches = Files.newDirectoryStream(copy.resolve("aws-cni.d"), "*.aot")) {
            for (var cache : caches) {
                Files.write(cache, "not an AOT cache".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.TRUNCATE_EXISTING);
            }
        }
        var r = exec(copy.resolve("aws-cni"), env("VERSION"), "{\"cniVersion\":\"1.0.0\"}");
        assertEquals(0, r.exit(), r.stderr());
        assertEquals("1.0.0", ((Map<?, ?>) Json.parse(r.stdout())).get("cniVersion"), r.stdout());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (var p : (Iterable<Path>) paths::iterator) {
                var target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
