package io.vpccni.cni;

import io.vpccni.cni.json.Json;
import io.vpccni.cni.wire.Messages.AddReply;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON the plugin prints on stdout: ADD results shaped for the requested version, VERSION and errors. */
public final class Results {
    /** The link-local gateway every pod routes through; the host answers for it by a static ARP entry. */
    public static final String GATEWAY = "169.254.1.1";

    private Results() {
    }

    public static String add(String cniVersion, AddReply reply, String ifName, String netns) {
        var host = new LinkedHashMap<String, Object>();
        host.put("name", reply.interfaces().hostVethName());
        host.put("mac", reply.interfaces().hostVethMac());
        var container = new LinkedHashMap<String, Object>();
        container.put("name", ifName);
        container.put("mac", reply.interfaces().containerMac());
        container.put("sandbox", netns);

        var ip = new LinkedHashMap<String, Object>();
        if (CniVersion.ipsCarryVersion(cniVersion)) {
            ip.put("version", "4");
        }
        ip.put("address", reply.ipv4() + "/32");
        ip.put("gateway", GATEWAY);
        ip.put("interface", 1L);

        var route = new LinkedHashMap<String, Object>();
        route.put("dst", "0.0.0.0/0");
        route.put("gw", GATEWAY);

        var result = new LinkedHashMap<String, Object>();
        result.put("cniVersion", cniVersion);
        result.put("interfaces", List.of(host, container));
        result.put("ips", List.of(ip));
        result.put("routes", List.of(route));
        result.put("dns", Map.of());
        return Json.write(result);
    }

    public static String version(String cniVersion) {
        var result = new LinkedHashMap<String, Object>();
        result.put("cniVersion", cniVersion);
        result.put("supportedVersions", new ArrayList<Object>(CniVersion.SUPPORTED));
        return Json.write(result);
    }

    public static String error(String cniVersion, CniException e) {
        var result = new LinkedHashMap<String, Object>();
        result.put("cniVersion", cniVersion);
        result.put("code", (long) e.code());
        result.put("msg", e.getMessage());
        if (!e.details().isEmpty()) {
            result.put("details", e.details());
        }
        return Json.write(result);
    }
}
