package io.vpccni.ipamd.observe;

import ch.qos.logback.classic.Level;
import io.vpccni.ipamd.config.Env;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Where the daemon's log lines go and from which level, as upstream reads them: {@code AWS_VPC_K8S_CNI_LOG_FILE}
 * (default {@value #DEFAULT_FILE}; {@code stdout} or {@code stderr}, in any case, for a stream) and
 * {@code AWS_VPC_K8S_CNI_LOGLEVEL} (debug, info, warn, error or fatal, in any case; default debug). Unlike
 * upstream, which falls back to debug on a level it does not know and opens a relative path against its working
 * directory, both refuse what they cannot mean, so a typo stops the daemon at start instead of going unnoticed.
 */
public record LogSettings(Destination destination, Level level) {
    public static final String FILE_VARIABLE = "AWS_VPC_K8S_CNI_LOG_FILE";
    public static final String LEVEL_VARIABLE = "AWS_VPC_K8S_CNI_LOGLEVEL";
    public static final String DEFAULT_FILE = "/host/var/log/aws-routed-eni/ipamd.log";

    /** Where the lines go. */
    public sealed interface Destination {
    }

    public record Stdout() implements Destination {
    }

    public record Stderr() implements Destination {
    }

    /** @param path absolute, naming a file */
    public record LogFile(Path path) implements Destination {
    }

    /** @throws IllegalArgumentException naming the variable, its value and what is accepted */
    public static LogSettings fromEnv(Map<String, String> env) {
        return new LogSettings(destination(env), level(env));
    }

    private static Destination destination(Map<String, String> env) {
        var value = Env.get(env, FILE_VARIABLE);
        if (value == null) {
            return new LogFile(Path.of(DEFAULT_FILE));
        }
        switch (value.toLowerCase(Locale.ROOT)) {
            case "stdout" -> {
                return new Stdout();
            }
            case "stderr" -> {
                return new Stderr();
            }
            default -> {
            }
        }
        Path path;
        try {
            path = Path.of(value);
        } catch (InvalidPathException e) {
            throw refusedFile(env, "is not a path");
        }
        if (!path.isAbsolute()) {
            throw refusedFile(env, "is not an absolute path");
        }
        if (path.getFileName() == null) {
            throw refusedFile(env, "names no file");
        }
        return new LogFile(path.normalize());
    }

    private static IllegalArgumentException refusedFile(Map<String, String> env, String why) {
        return new IllegalArgumentException(FILE_VARIABLE + "='" + env.get(FILE_VARIABLE) + "' " + why
                + ": use an absolute file path (default " + DEFAULT_FILE + "), stdout or stderr");
    }

    private static Level level(Map<String, String> env) {
        var value = Env.get(env, LEVEL_VARIABLE);
        if (value == null) {
            return Level.DEBUG;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "debug" -> Level.DEBUG;
            case "info" -> Level.INFO;
            case "warn" -> Level.WARN;
            case "error", "fatal" -> Level.ERROR;  // the daemon has no level above ERROR: fatal lines are errors
            default -> throw new IllegalArgumentException(LEVEL_VARIABLE + "='" + env.get(LEVEL_VARIABLE)
                    + "' is not a log level: use debug, info, warn, error or fatal (any case; default debug)");
        };
    }
}
