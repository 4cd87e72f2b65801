package io.vpccni.ipamd.pod;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Host-side veth names as upstream derives them: the prefix and the first 11 hex digits of
 * SHA-1("namespace.name"), so a pod keeps its veth name across daemon restarts and DELs can find it.
 */
public final class VethNames {
    private VethNames() {
    }

    public static String hostVeth(String prefix, String podNamespace, String podName) {
        try {
            var digest = MessageDigest.getInstance("SHA-1").digest((podNamespace + "." + podName).getBytes(StandardCharsets.UTF_8));
            return prefix + HexFormat.of().formatHex(digest).substring(0, 11);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JDK", e);
        }
    }
}
