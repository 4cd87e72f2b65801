package io.vpccni.ipamd.observe;

import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LogSettingsTest {
    private static LogSettings read(String variable, String value) {
        var env = new HashMap<String, String>();
        env.put(variable, value);
        return LogSettings.fromEnv(env);
    }

    @Test
    void defaultsAreUpstreamsFileAndDebug() {
        assertEquals(new LogSettings(new LogSettings.LogFile(Path.of("/host/var/log/aws-routed-eni/ipamd.log")), Level.DEBUG),
                LogSettings.fromEnv(Map.of()));
        assertEquals(LogSettings.fromEnv(Map.of()), LogSettings.fromEnv(Map.of("AWS_VPC_K8S_CNI_LOG_FILE", " ",
                "AWS_VPC_K8S_CNI_LOGLEVEL", "")), "blank is unset");
    }

    @ParameterizedTest
    @ValueSource(strings = {"stdout", "STDOUT", "Stdout", " stdout "})
    void stdoutInAnyCase(String value) {
        assertEquals(new LogSettings.Stdout(), read("AWS_VPC_K8S_CNI_LOG_FILE", value).destination());
    }

    @ParameterizedTest
    @ValueSource(strings = {"stderr", "STDERR", "StdErr"})
    void stderrInAnyCase(String value) {
        assertEquals(new LogSettings.Stderr(), read("AWS_VPC_K8S_CNI_LOG_FILE", value).destination());
    }

    @ParameterizedTest
    @CsvSource({"/var/log/ipamd.log,/var/log/ipamd.log", "/host/var/log/aws-routed-eni/../x/ipamd.log,/host/var/log/x/ipamd.log",
            "/tmp/stdout,/tmp/stdout"})
    void anAbsolutePathIsTheFile(String value, String path) {
        assertEquals(new LogSettings.LogFile(Path.of(path)), read("AWS_VPC_K8S_CNI_LOG_FILE", value).destination());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ipamd.log|is not an absolute path",
            "var/log/aws-routed-eni/ipamd.log|is not an absolute path",
            "./ipamd.log|is not an absolute path",
            "~/ipamd.log|is not an absolute path",
            "/|names no file"})
    void anythingElseStopsTheDaemonNamingTheVariable(String value, String why) {
        var e = assertThrows(IllegalArgumentException.class, () -> read("AWS_VPC_K8S_CNI_LOG_FILE", value));
        assertEquals("AWS_VPC_K8S_CNI_LOG_FILE='" + value + "' " + why + ": use an absolute file path (default "
                + "/host/var/log/aws-routed-eni/ipamd.log), stdout or stderr", e.getMessage());
    }

    @Test
    void aNulCharacterIsNotAPath() {
        var e = assertThrows(IllegalArgumentException.class, () -> read("AWS_VPC_K8S_CNI_LOG_FILE", "/var/log/a\0b"));
        assertEquals("AWS_VPC_K8S_CNI_LOG_FILE='/var/log/a\0b' is not a path: use an absolute file path (default "
                + "/host/var/log/aws-routed-eni/ipamd.log), stdout or stderr", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"debug,DEBUG", "DEBUG,DEBUG", "Debug,DEBUG", "info,INFO", "INFO,INFO", "Info,INFO", "warn,WARN", "WARN,WARN",
            "error,ERROR", "Error,ERROR", "fatal,ERROR", "FATAL,ERROR", "' info ',INFO"})
    void upstreamsLevelsInAnyCase(String value, String level) {
        assertEquals(Level.toLevel(level), read("AWS_VPC_K8S_CNI_LOGLEVEL", value).level());
    }

    @ParameterizedTest
    @ValueSource(strings = {"trace", "TRACE", "warning", "verbose", "off", "all", "2", "debug,info"})
    void anyOtherLevelStopsTheDaemonNamingIt(String value) {
        var e = assertThrows(IllegalArgumentException.class, () -> read("AWS_VPC_K8S_CNI_LOGLEVEL", value));
        assertEquals("AWS_VPC_K8S_CNI_LOGLEVEL='" + value + "' is not a log level: use debug, info, warn, error or fatal"
                + " (any case; default debug)", e.getMessage());
    }
}
