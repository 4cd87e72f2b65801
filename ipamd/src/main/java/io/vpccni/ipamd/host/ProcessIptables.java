package io.vpccni.ipamd.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The iptables tools of one backend ({@code iptables-legacy-save}, {@code iptables-nft-restore}, ...), run as
 * processes. {@code --wait} shares the xtables lock with kube-proxy and anyone else writing the legacy tables.
 */
public final class ProcessIptables implements Iptables {
    private static final long TIMEOUT_SECONDS = 30;

    private final IptablesMode mode;

    public ProcessIptables(IptablesMode mode) {
        this.mode = mode;
    }

    @Override
    public IptablesMode mode() {
        return mode;
    }

    @Override
    public String save(String table) throws IptablesException {
        return run(List.of(tool("save"), "-t", table), null);
    }

    @Override
    public String saveAll() throws IptablesException {
        return run(List.of(tool("save")), null);
    }

    @Override
    public void restore(String input) throws IptablesException {
        run(List.of(tool("restore"), "--noflush", "--wait", "10"), input);
    }

    private String tool(String verb) {
        return "iptables-" + mode.label() + "-" + verb;
    }

    private static String run(List<String> command, String stdin) throws IptablesException {
        Process process;
        try {
            process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(false).start();
        } catch (IOException e) {
            throw new IptablesException(command.getFirst() + " cannot run (is the iptables package in the image?): " + e.getMessage());
        }
        try {
            if (stdin != null) {
                try (var in = process.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            } else {
                process.getOutputStream().close();
            }
            var stderr = new StringBuilder();
            var err = Thread.ofVirtual().start(() -> {
                try {
                    stderr.append(new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // the exit code reports the failure
                }
            });
            var out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IptablesException(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            err.join();
            if (process.exitValue() != 0) {
                throw new IptablesException(String.join(" ", command) + " exited " + process.exitValue() + ": "
                        + stderr.toString().strip() + (stdin == null ? "" : "\ninput was:\n" + stdin));
            }
            return out;
        } catch (IOException e) {
            process.destroyForcibly();
            throw new IptablesException(String.join(" ", command) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IptablesException(String.join(" ", command) + " was interrupted");
        }
    }
}
