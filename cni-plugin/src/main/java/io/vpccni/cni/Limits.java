package io.vpccni.cni;

/**
 * Upper bounds on the strings the plugin forwards to ipamd, which stores several of them in its checkpoint.
 * Real values are far shorter (a container ID is 64 bytes, a Kubernetes name at most 253); a value past
 * these bounds is a bug or an attack, refused before any call with a message that says which value it was.
 */
final class Limits {
    /** Container IDs, pod names, namespaces and UIDs, network names. */
    static final int MAX_NAME_BYTES = 1024;
    /** A netns path: Linux's PATH_MAX. */
    static final int MAX_PATH_BYTES = 4096;
    /** A Unix socket path: sockaddr_un's sun_path holds 108 bytes, the terminating NUL included. */
    static final int MAX_SOCKET_PATH_BYTES = 107;

    private Limits() {
    }

    /** @param what names the value as the user wrote it, e.g. "CNI_CONTAINERID" or "K8S_POD_NAME in CNI_ARGS" */
    static void atMost(String what, String value, int maxBytes, int code) throws CniException {
        // Most values are short enough that even three bytes a char would fit: no need to count.
        if ((long) value.length() * 3 <= maxBytes) {
            return;
        }
        var bytes = utf8Length(value);
        if (bytes > maxBytes) {
            throw new CniException(code, what + " is " + bytes + " bytes long; at most " + maxBytes + " are accepted");
        }
    }

    private static long utf8Length(String s) {
        long bytes = 0;
        for (var i = 0; i < s.length(); i++) {
            var c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
