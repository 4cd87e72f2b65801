package io.vpccni.ipamd.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConflistTest {
    private static JsonNode rendered(Map<String, String> env) throws Exception {
        return new ObjectMapper().readTree(Conflist.render(CniConfig.fromEnv(env)));
    }

    @Test
    void defaultNodeGetsUpstreamsPluginFieldsAtAVersionEveryRuntimeAccepts() throws Exception {
        var list = rendered(Map.of());
        assertEquals("1.0.0", list.get("cniVersion").asText());
        assertEquals("aws-cni", list.get("name").asText());
        var plugins = list.get("plugins");
        assertEquals(2, plugins.size(), "aws-cni then portmap; no bandwidth unless asked");
        var awsCni = plugins.get(0);
        assertEquals("aws-cni", awsCni.get("type").asText());
        assertEquals("9001", awsCni.get("mtu").asText());
        assertEquals("eni", awsCni.get("vethPrefix").asText());
        assertEquals("strict", awsCni.get("podSGEnforcingMode").asText());
        assertEquals("/var/log/aws-routed-eni/plugin.log", awsCni.get("pluginLogFile").asText());
        assertEquals("Debug", awsCni.get("pluginLogLevel").asText());
        assertFalse(awsCni.has("ipamdSocket"), "the default socket is the plugin's default: not written");
        assertFalse(awsCni.has("ipamdTimeoutMs"));
        var portmap = plugins.get(1);
        assertEquals("portmap", portmap.get("type").asText());
        assertTrue(portmap.get("capabilities").get("portMappings").asBoolean());
        assertTrue(portmap.get("snat").asBoolean());
    }

    /** config/10-aws.conflist shows operators what a default node gets; regenerate it with -Dvpccni.regenerate=true. */
    @Test
    void theDefaultInConfigIsWhatTheDaemonWrites() throws Exception {
        var shipped = Path.of("../config/10-aws.conflist");
        var rendered = Conflist.render(CniConfig.fromEnv(Map.of()));
        if (Boolean.getBoolean("vpccni.regenerate")) {
            Files.writeString(shipped, rendered);
        }
        assertEquals(rendered, Files.readString(shipped),
                shipped + " is stale: run ./mvnw -pl ipamd -am test -Dtest=ConflistTest -Dsurefire.failIfNoSpecifiedTests=false -Dvpccni.regenerate=true");
    }

    @Test
    void theDaemonsSettingsReachThePlugin() throws Exception {
        var awsCni = rendered(Map.of("AWS_VPC_ENI_MTU", "1500", "AWS_VPC_K8S_CNI_VETHPREFIX", "pod",
                "POD_SECURITY_GROUP_ENFORCING_MODE", "standard", "AWS_VPC_K8S_PLUGIN_LOG_FILE", "/tmp/p.log",
                "AWS_VPC_K8S_PLUGIN_LOG_LEVEL", "INFO", "IPAMD_SOCKET_PATH", "/run/x/ipamd.sock",
                CniConfig.TIMEOUT, "2500")).get("plugins").get(0);
        assertEquals("1500", awsCni.get("mtu").asText(), "POD_MTU defaults to the ENI MTU");
        assertEquals("pod", awsCni.get("vethPrefix").asText());
        assertEquals("standard", awsCni.get("podSGEnforcingMode").asText());
        assertEquals("/tmp/p.log", awsCni.get("pluginLogFile").asText());
        assertEquals("Info", awsCni.get("pluginLogLevel").asText());
        assertEquals("/run/x/ipamd.sock", awsCni.get("ipamdSocket").asText());
        assertEquals(2500, awsCni.get("ipamdTimeoutMs").asInt());
        assertEquals("8900", rendered(Map.of("AWS_VPC_ENI_MTU", "9001", "POD_MTU", "8900")).get("plugins").get(0).get("mtu").asText());
    }

    @Test
    void bandwidthIsChainedAfterPortmapWhenAsked() throws Exception {
        var plugins = rendered(Map.of("ENABLE_BANDWIDTH_PLUGIN", "true")).get("plugins");
        assertEquals(3, plugins.size());
        assertEquals("bandwidth", plugins.get(2).get("type").asText());
        assertTrue(plugins.get(2).get("capabilities").get("bandwidth").asBoolean());
    }

    @Test
    void valuesThePluginWouldRefuseStopTheDaemonNamingTheVariable() {
        for (var bad : Map.of("POD_MTU", "10000", "POD_SECURITY_GROUP_ENFORCING_MODE", "loose",
                "AWS_VPC_K8S_PLUGIN_LOG_FILE", "stdout", "AWS_VPC_K8S_PLUGIN_LOG_LEVEL", "verbose",
                "AWS_VPC_K8S_CNI_VETHPREFIX", "toolong", CniConfig.TIMEOUT, "0", "ENABLE_BANDWIDTH_PLUGIN", "yes").entrySet()) {
            var e = assertThrows(IllegalArgumentException.class, () -> CniConfig.fromEnv(Map.of(bad.getKey(), bad.getValue())),
                    bad.toString());
            assertTrue(e.getMessage().contains(bad.getKey()), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> CniConfig.confDir(Map.of("HOST_CNI_CONFDIR_PATH", "etc/cni")));
        assertTrue(CniConfig.confDir(Map.of()).isEmpty(), "no conflist is written unless asked where");
    }
}
