package io.vpccni.ipamd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The build's version and the wire-protocol version it speaks, stamped in by Maven. */
public record DaemonVersion(String version, String protocol) {
    public static DaemonVersion load() {
        var props = new Properties();
        try (var in = DaemonVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from the aws-k8s-agent jar");
            }
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new DaemonVersion(props.getProperty("version"), props.getProperty("protocol"));
    }
}
