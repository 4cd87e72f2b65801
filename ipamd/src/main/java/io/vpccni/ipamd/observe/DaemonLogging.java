package io.vpccni.ipamd.observe;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.util.FileSize;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Sends the daemon's log lines where {@link LogSettings} says. logback.xml stays the one place for the JSON
 * encoder and the logger caps (the SDK's signer, Fabric8's informers): it is loaded again here, then only its
 * stdout appender is replaced by a rotated file ({@link GzipBackups}) or stderr. A file that cannot be opened
 * never stops the daemon: the lines stay on stdout, which says so once.
 */
public final class DaemonLogging {
    private static final String APPENDER = "json";  // logback.xml's appender on the root logger

    private DaemonLogging() {
    }

    /**
     * Configures logback from the daemon's environment; call it before anything else logs.
     *
     * @throws IllegalArgumentException naming AWS_VPC_K8S_CNI_LOG_FILE or AWS_VPC_K8S_CNI_LOGLEVEL when refused
     */
    public static void configure(Map<String, String> env) {
        configure(LogSettings.fromEnv(env), LogRotation.UPSTREAM);
    }

    static void configure(LogSettings settings, LogRotation rotation) {
        var context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        var joran = new JoranConfigurator();
        joran.setContext(context);
        try {
            joran.doConfigure(DaemonLogging.class.getResource("/logback.xml"));
        } catch (JoranException e) {
            throw new IllegalStateException("the daemon's logback.xml does not load (a broken build): " + e.getMessage(), e);
        }
        var root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(settings.level());
        var log = LoggerFactory.getLogger(DaemonLogging.class);
        switch (settings.destination()) {
            case LogSettings.Stdout ignored -> {
            }
            case LogSettings.Stderr ignored -> replace(root, console(context, "System.err"));
            case LogSettings.LogFile file -> {
                var problem = cannotOpen(file.path());
                var appender = problem == null ? rollingFile(context, file.path(), rotation) : null;
                if (appender != null && !appender.isStarted()) {
                    problem = lastError(context, appender);
                    appender.stop();
                }
                if (problem != null) {
                    log.error("cannot write the log file {} ({}): logging to stdout instead; make its directory writable "
                            + "(the chart mounts the host's /var/log/aws-routed-eni there) or set {}=stdout",
                            file.path(), problem, LogSettings.FILE_VARIABLE);
                    return;
                }
                // The one line stdout gets, so `kubectl logs` tells where the rest is.
                log.info("logging to {} at {} and above ({}), rotated at {}, {} old files kept gzipped", file.path(),
                        settings.level(), LogSettings.FILE_VARIABLE, size(rotation.maxFileBytes()), rotation.maxBackups());
                replace(root, appender);
            }
        }
    }

    private static String size(long bytes) {
        var mib = 1024 * 1024;
        return bytes % mib == 0 ? bytes / mib + " MiB" : bytes + " bytes";
    }

    /** Null when the file can be appended to (its directory made as needed), else why not. */
    private static String cannotOpen(Path file) {
        try {
            Files.createDirectories(file.getParent());
            try (var ignored = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                return null;
            }
        } catch (IOException | SecurityException e) {
            return e.toString();
        }
    }

    private static RollingFileAppender<ILoggingEvent> rollingFile(LoggerContext context, Path file, LogRotation rotation) {
        var appender = new RollingFileAppender<ILoggingEvent>();
        appender.setContext(context);
        appender.setName(APPENDER);
        appender.setFile(file.toString());
        appender.setAppend(true);
        appender.setEncoder(encoder(context));
        var backups = new GzipBackups(rotation);
        backups.setContext(context);
        backups.setParent(appender);
        appender.setRollingPolicy(backups);
        var trigger = new SizeBasedTriggeringPolicy<ILoggingEvent>();
        trigger.setContext(context);
        trigger.setMaxFileSize(new FileSize(rotation.maxFileBytes()));
        trigger.setCheckIncrement(ch.qos.logback.core.util.Duration.buildByMilliseconds(rotation.checkEvery().toMillis()));
        appender.setTriggeringPolicy(trigger);
        backups.start();
        trigger.start();
        appender.start();
        return appender;
    }

    private static ConsoleAppender<ILoggingEvent> console(LoggerContext context, String target) {
        var appender = new ConsoleAppender<ILoggingEvent>();
        appender.setContext(context);
        appender.setName(APPENDER);
        appender.setTarget(target);
        appender.setEncoder(encoder(context));
        appender.start();
        return appender;
    }

    private static MaskingJsonEncoder encoder(LoggerContext context) {
        var encoder = new MaskingJsonEncoder();
        encoder.setContext(context);
        encoder.start();
        return encoder;
    }

    private static void replace(Logger root, Appender<ILoggingEvent> appender) {
        var old = root.getAppender(APPENDER);
        root.addAppender(appender);
        if (old != null) {
            root.detachAppender(old);
            old.stop();
        }
    }

    private static String lastError(LoggerContext context, Object origin) {
        var message = "the appender did not start";
        for (var status : context.getStatusManager().getCopyOfStatusList()) {
            if (status.getLevel() == Status.ERROR && status.getOrigin() == origin) {
                message = status.getMessage() + (status.getThrowable() != null ? ": " + status.getThrowable() : "");
            }
        }
        return message;
    }
}
