package io.vpccni.ipamd.doctor;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import io.vpccni.ipamd.DaemonVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.util.Map;

/**
 * {@code aws-k8s-agent doctor [--json]}: reads the node and the running daemon, prints every finding with its
 * evidence and fix, and exits 0 when nothing is a problem, 1 when something is, 2 on bad usage. Run in the aws-node
 * container ({@code kubectl exec -n kube-system <aws-node pod> -c aws-node -- aws-k8s-agent doctor}), it sees the
 * host as the daemon does and takes the daemon's own environment. Stdout carries only the report.
 */
public final class DoctorCommand {
    public static final String NAME = "doctor";
    static final String USAGE = """
            usage: aws-k8s-agent doctor [--json]
              Checks this node and its running aws-k8s-agent: the daemon's pool, every pod's rules, route and veth in the
              kernel, each ENI's owner (systemd-networkd, NetworkManager) and routing, sysctls, iptables, conntrack, IMDS,
              the CNI config and the checkpoint. Prints each finding with its evidence and fix.
              --json   the same report as JSON
            exit status: 0 no problem (warnings allowed), 1 at least one problem, 2 bad usage
            """;

    private DoctorCommand() {
    }

    /** The process entry (from {@code Main}): the report on stdout, everything else on stderr, then exit. */
    public static void main(String[] args) {
        var report = System.out;
        System.setOut(System.err);  // a library that prints must not corrupt the report (or the JSON)
        logToStderr();
        var code = run(args, System.getenv(), report, System.err, HostAccess.real());
        report.flush();
        System.exit(code);
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err, HostAccess host) {
        var json = false;
        for (var arg : args) {
            switch (arg) {
                case "--json" -> json = true;
                case "-h", "--help" -> {
                    out.print(USAGE);
                    return 0;
                }
                default -> {
                    err.print("aws-k8s-agent doctor: unknown argument '" + arg + "'\n" + USAGE);
                    return 2;
                }
            }
        }
        var settings = DoctorSettings.fromEnv(env);
        Report report;
        try (var daemon = new LiveDaemon(settings.socket(), protocolVersion(), settings.introspection(), settings.introspectionOff())) {
            report = examine(settings, daemon, host);
        }
        out.print(json ? JsonReport.render(report) : TextReport.render(report));
        out.flush();
        return report.exitCode();
    }

    /** Asks the daemon first: its ENIs say which links to examine and which is the primary interface. */
    static Report examine(DoctorSettings settings, DaemonView daemon, HostAccess host) {
        var status = daemon.status();
        var pods = daemon.pods();
        var guard = daemon.guard();
        var node = NodeFacts.gather(settings, guard, host);
        return Checkup.examine(settings, status, pods, guard, node);
    }

    private static String protocolVersion() {
        try {
            return DaemonVersion.load().protocol();
        } catch (RuntimeException e) {
            return "1.0.0";  // the protocol's major is what the daemon checks
        }
    }

    /** The daemon's configuration logs JSON to stdout; the doctor's own few lines go to stderr, warnings and worse only. */
    static void logToStderr() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        context.reset();
        var encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("aws-k8s-agent doctor: %level %logger{0}: %msg%n");
        encoder.start();
        var appender = new ConsoleAppender<ILoggingEvent>();
        appender.setContext(context);
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        var root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(appender);
    }
}
