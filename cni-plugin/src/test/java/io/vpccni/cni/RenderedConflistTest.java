package io.vpccni.cni;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vpccni.ipamd.install.CniConfig;
import io.vpccni.ipamd.install.Conflist;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The conflist the daemon writes, read back by the plugin exactly as a runtime hands it over: every setting arrives. */
class RenderedConflistTest {
    static List<Map<String, String>> environments() {
        return List.of(Map.of(),
                Map.of("AWS_VPC_ENI_MTU", "1500", "AWS_VPC_K8S_CNI_VETHPREFIX", "pod", "POD_SECURITY_GROUP_ENFORCING_MODE", "standard",
                        "AWS_VPC_K8S_PLUGIN_LOG_FILE", "/tmp/plugin.log", "AWS_VPC_K8S_PLUGIN_LOG_LEVEL", "warn",
                        "IPAMD_SOCKET_PATH", "/run/aws-node/other.sock", CniConfig.TIMEOUT, "2500", "ENABLE_BANDWIDTH_PLUGIN", "1"),
                Map.of("POD_MTU", "576", "AWS_VPC_K8S_PLUGIN_LOG_LEVEL", "ERROR"));
    }

    @ParameterizedTest
    @MethodSource("environments")
    void everySettingReachesThePlugin(Map<String, String> env) throws Exception {
        var expected = CniConfig.fromEnv(env);
        var json = new ObjectMapper();
        var list = json.readTree(Conflist.render(expected));
        // A runtime sends the plugin's own object with the list's name and cniVersion injected.
        var stdin = (ObjectNode) list.get("plugins").get(0).deepCopy();
        stdin.put("name", list.get("name").asText());
        stdin.put("cniVersion", list.get("cniVersion").asText());
        var conf = NetConf.parse(json.writeValueAsString(stdin), "ADD");

        assertEquals(expected.mtu(), conf.mtu());
        assertEquals(expected.vethPrefix(), conf.vethPrefix());
        assertEquals(expected.podSgEnforcingMode(), conf.podSgEnforcingMode());
        assertEquals(expected.pluginLogFile(), conf.pluginLogFile());
        assertEquals(expected.pluginLogLevel().toUpperCase(), conf.pluginLogLevel().toUpperCase());
        assertEquals(expected.ipamdSocket().orElse(NetConf.DEFAULT_SOCKET), conf.ipamdSocket());
        assertEquals(expected.ipamdTimeoutMs().map(Integer::longValue).orElse(NetConf.DEFAULT_TIMEOUT_MILLIS), conf.ipamdTimeoutMillis());
    }
}
