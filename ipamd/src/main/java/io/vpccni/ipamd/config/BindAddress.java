package io.vpccni.ipamd.config;

import io.netty.channel.unix.DomainSocketAddress;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;

/**
 * A listen address as upstream's variables take it (Go's {@code net.Listen} forms): {@code host:port},
 * {@code [v6]:port}, {@code :port} for every address, or {@code unix:/absolute/path} for a Unix socket.
 */
public final class BindAddress {
    private BindAddress() {
    }

    /** @throws IllegalArgumentException naming {@code variable}, the value and the accepted forms */
    public static SocketAddress parse(String variable, String value) {
        var v = value.strip();
        if (v.startsWith("unix:")) {
            var path = v.substring("unix:".length());
            if (path.isEmpty() || !Path.of(path).isAbsolute()) {
                throw invalid(variable, value);
            }
            return new DomainSocketAddress(path);
        }
        var colon = v.lastIndexOf(':');
        if (colon < 0) {
            throw invalid(variable, value);
        }
        var host = v.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(v.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw invalid(variable, value);
        }
        if (port < 1 || port > 65535) {
            throw invalid(variable, value);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty()) {
            return new InetSocketAddress(port);
        }
        var address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException(variable + "='" + value + "': cannot resolve '" + host + "'");
        }
        return address;
    }

    private static IllegalArgumentException invalid(String variable, String value) {
        return new IllegalArgumentException(variable + "='" + value + "' must be host:port (e.g. 127.0.0.1:61679), "
                + ":port for every address, or unix:/absolute/path");
    }
}
