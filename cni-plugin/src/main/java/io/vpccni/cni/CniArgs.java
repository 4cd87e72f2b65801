package io.vpccni.cni;

import java.util.HashMap;
import java.util.Map;

/**
 * CNI_ARGS: "K=V;K=V" in any order (containerd and podman order them differently). Keys the plugin does
 * not know are ignored; a pair without '=' is malformed.
 */
public record CniArgs(String podName, String podNamespace, String infraContainerId, String podUid) {
    public static CniArgs parse(String raw) throws CniException {
        var values = new HashMap<String, String>();
        if (raw != null && !raw.isEmpty()) {
            var start = 0;
            while (start <= raw.length()) {
                var end = raw.indexOf(';', start);
                if (end < 0) {
                    end = raw.length();
                }
                var pair = raw.substring(start, end);
                if (!pair.isEmpty()) {
                    var eq = pair.indexOf('=');
                    if (eq <= 0) {
                        throw new CniException(CniException.INVALID_ENVIRONMENT,
                                "CNI_ARGS is malformed: '" + pair + "' is not KEY=VALUE", "CNI_ARGS=" + raw);
                    }
                    values.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
                start = end + 1;
            }
        }
        return new CniArgs(get(values, "K8S_POD_NAME"), get(values, "K8S_POD_NAMESPACE"),
                get(values, "K8S_POD_INFRA_CONTAINER_ID"), get(values, "K8S_POD_UID"));
    }

    /** The value of one of the keys the plugin sends to ipamd, bounded like every such string. */
    private static String get(Map<String, String> values, String key) throws CniException {
        var v = values.get(key);
        if (v == null) {
            return "";
        }
        Limits.atMost(key + " in CNI_ARGS", v, Limits.MAX_NAME_BYTES, CniException.INVALID_ENVIRONMENT);
        return v;
    }

    public String pod() {
        return podNamespace + "/" + podName;
    }
}
