package io.vpccni.ipamd.doctor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vpccni.ipamd.config.DaemonConfig;
import io.vpccni.ipamd.install.Conflist;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The CNI config the runtime uses: our {@code 10-aws.conflist} present, parseable, first (the runtime uses the first
 * file by name), in a CNI version the plugin speaks, with an {@code aws-cni} plugin that calls the daemon's socket.
 */
final class ConflistCheck {
    static final String ID = "conflist";
    /** What config/10-aws.conflist says, and what the plugin accepts (its CniVersion.SUPPORTED). */
    static final String SHIPPED_VERSION = Conflist.CNI_VERSION;
    static final List<String> SUPPORTED_VERSIONS = List.of("0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0");
    private static final JsonMapper JSON = new JsonMapper();
    private static final String ENTRYPOINT = "aws-node writes it once its IP pool is open: see its log (kubectl logs -n kube-system"
            + " <aws-node pod> -c aws-node) and check that HOST_CNI_CONFDIR_PATH is the host's /etc/cni/net.d.";

    private ConflistCheck() {
    }

    static List<Finding> findings(ConflistFacts facts, Path daemonSocket) {
        var file = facts.dir().resolve(ConflistFacts.OURS).toString();
        if (!facts.dirExists()) {
            return List.of(Finding.problem(ID, facts.dir().toString(), "the CNI config directory does not exist: the runtime finds no network for pods",
                    List.of("no directory " + facts.dir()), ENTRYPOINT));
        }
        var listing = "configs in " + facts.dir() + ", in the order the runtime reads them: "
                + (facts.files().isEmpty() ? "none" : String.join(", ", facts.files()));
        if (facts.ours().isEmpty()) {
            return List.of(Finding.problem(ID, file, "there is no " + ConflistFacts.OURS + ": the node's network is not ready and no pod gets an address",
                    List.of(listing), ENTRYPOINT));
        }
        JsonNode root;
        try {
            root = JSON.readTree(facts.ours().get());
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            return List.of(Finding.problem(ID, file, ConflistFacts.OURS + " is not valid JSON: the runtime cannot use it",
                    List.of(e.getOriginalMessage().lines().findFirst().orElse("") + (at == null ? "" : " at line " + at.getLineNr()
                            + ", column " + at.getColumnNr())), "Delete it and restart aws-node, which writes it anew once its pool is open."));
        }
        var out = new ArrayList<Finding>();
        var evidence = new ArrayList<String>(List.of(listing));
        var version = root.path("cniVersion").asText("");
        evidence.add(file + ": cniVersion \"" + version + "\"");
        if (!SUPPORTED_VERSIONS.contains(version)) {
            out.add(Finding.problem(ID, file, "cniVersion \"" + version + "\" is not one the aws-cni plugin speaks ("
                    + String.join(", ", SUPPORTED_VERSIONS) + "): every ADD fails", evidence, "Use the conflist aws-node ships (cniVersion "
                    + SHIPPED_VERSION + "): delete the file and restart aws-node."));
        } else if (!version.equals(SHIPPED_VERSION)) {
            out.add(Finding.warning(ID, file, "cniVersion \"" + version + "\" is not the " + SHIPPED_VERSION + " aws-node writes: the file was"
                    + " written by something else, which may rewrite it again", evidence, "Find what writes it (an older aws-node, a config manager)"
                    + " or leave it if that version is deliberate."));
        }
        var plugin = plugin(root);
        if (plugin == null) {
            out.add(Finding.problem(ID, file, ConflistFacts.OURS + " has no plugin of type aws-cni: pods get no VPC address from it",
                    evidence, "Delete it and restart aws-node, which writes it anew once its pool is open."));
            return out;
        }
        // Absent, the plugin calls the default socket: the daemon writes ipamdSocket only when it serves elsewhere.
        var socket = plugin.path("ipamdSocket").asText(DaemonConfig.DEFAULT_SOCKET.toString());
        evidence.add(file + ": aws-cni calls " + socket);
        if (!socket.equals(daemonSocket.toString())) {
            out.add(Finding.problem(ID, file, "the plugin calls the daemon at " + socket + " but the daemon serves " + daemonSocket,
                    evidence, "Delete " + file + " and restart aws-node: the daemon writes it anew, with its own socket, once its pool is open."));
        }
        if (!facts.files().getFirst().equals(ConflistFacts.OURS)) {
            var first = facts.files().getFirst();
            var chained = facts.first().map(ConflistCheck::chainsAwsCni).orElse(false);
            if (chained) {
                evidence.add(first + " comes first and chains the aws-cni plugin itself");
            } else {
                out.add(Finding.problem(ID, facts.dir().resolve(first).toString(), "the runtime uses " + first + ", not " + ConflistFacts.OURS
                        + ": it is first by name, and it does not call aws-cni", evidence, "Move " + first + " out of " + facts.dir()
                        + " (or rename it to sort after " + ConflistFacts.OURS + ") if aws-cni is meant to be the pods' network."));
            }
        }
        if (out.isEmpty()) {
            out.add(Finding.ok(ID, file, "the runtime uses " + ConflistFacts.OURS + ", which calls aws-cni", evidence));
        }
        return out;
    }

    private static JsonNode plugin(JsonNode root) {
        for (var p : root.path("plugins")) {
            if ("aws-cni".equals(p.path("type").asText())) {
                return p;
            }
        }
        return "aws-cni".equals(root.path("type").asText()) ? root : null;
    }

    private static boolean chainsAwsCni(String content) {
        try {
            return plugin(JSON.readTree(content)) != null;
        } catch (JsonProcessingException e) {
            return false;
        }
    }
}
