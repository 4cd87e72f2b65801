package io.vpccni.cni;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * aws-cni: the process the container runtime execs for each CNI call. It prints exactly one thing on
 * stdout, the result or a CNI error object, and exits 0 or 1; everything else goes to the plugin log.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        var stdout = System.out;
        System.setOut(System.err);  // a stray print anywhere must not corrupt the result
        var exit = run(System.getenv(), System.in, stdout);
        stdout.flush();
        // halt, not exit: there are no shutdown hooks to run, and System.exit initialises the platform
        // logging machinery (to log Runtime.exit), which costs milliseconds on every call.
        Runtime.getRuntime().halt(exit);
    }

    /** Runs one call; separated from {@link #main} so tests and the AOT training run can drive it in-process. */
    public static int run(Map<String, String> environment, InputStream stdin, PrintStream stdout) {
        var started = System.nanoTime();
        CniEnv env = null;
        NetConf conf = null;
        var verb = environment.getOrDefault("CNI_COMMAND", "");
        var cniVersion = CniVersion.LATEST;
        try {
            var input = readStdin(stdin);
            env = CniEnv.from(environment);
            if (verb.equals("VERSION")) {
                stdout.print(Results.version(NetConf.versionFor(input)));
                return 0;
            }
            conf = NetConf.parse(input, verb);
            cniVersion = conf.cniVersion();
            var outcome = Plugin.run(env, conf);
            stdout.print(outcome.stdout());
            log(environment, conf, new PluginLog.Entry(verb, env, outcome.ip(), null, System.nanoTime() - started));
            return 0;
        } catch (CniException e) {
            return fail(stdout, cniVersion, e, environment, conf, new PluginLog.Entry(verb, env, null, e, System.nanoTime() - started));
        } catch (Throwable e) {  // even a JVM error must reach the runtime as a CNI error object, not a stack trace
            var error = new CniException(CniException.INTERNAL, "aws-cni internal error: " + e);
            return fail(stdout, cniVersion, error, environment, conf, new PluginLog.Entry(verb, env, null, error, System.nanoTime() - started));
        }
    }

    private static int fail(PrintStream stdout, String cniVersion, CniException e, Map<String, String> environment,
                            NetConf conf, PluginLog.Entry entry) {
        stdout.print(Results.error(cniVersion, e));
        log(environment, conf, entry);
        return 1;
    }

    /** Calls whose config could not be read log to AWS_VPC_K8S_PLUGIN_LOG_FILE, else to the default file. */
    private static void log(Map<String, String> environment, NetConf conf, PluginLog.Entry entry) {
        var file = conf != null ? conf.pluginLogFile()
                : environment.getOrDefault("AWS_VPC_K8S_PLUGIN_LOG_FILE", NetConf.DEFAULT_LOG_FILE);
        PluginLog.write(file, conf == null ? "DEBUG" : conf.pluginLogLevel(), entry);
    }

    private static String readStdin(InputStream in) throws CniException {
        byte[] bytes;
        try {
            bytes = in.readNBytes(NetConf.MAX_STDIN + 1);
        } catch (IOException e) {
            throw new CniException(CniException.IO_FAILURE, "cannot read the network configuration from stdin: " + e.getMessage());
        }
        if (bytes.length > NetConf.MAX_STDIN) {
            throw new CniException(CniException.DECODING_FAILURE, "the network configuration on stdin exceeds "
                    + NetConf.MAX_STDIN + " bytes");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
