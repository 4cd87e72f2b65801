package io.vpccni.ipamd.doctor;

import io.vpccni.ipamd.host.IptablesMode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Both iptables backends as {@code iptables-<backend>-save} printed them; one that cannot be read has an error. */
public record IptablesFacts(List<Backend> backends) {
    public IptablesFacts {
        backends = List.copyOf(backends);
    }

    /** @param save the full save output, "" when unreadable; @param error why it could not be read, "" when it was */
    public record Backend(IptablesMode mode, String save, String error) {
        /** table → chain → its policy ("-" for a user chain) and rules, in the order printed. */
        public Map<String, Map<String, Chain>> tables() {
            var tables = new LinkedHashMap<String, Map<String, Chain>>();
            Map<String, Chain> current = null;
            for (var line : save.split("\n")) {
                if (line.startsWith("*")) {
                    current = tables.computeIfAbsent(line.substring(1).strip(), t -> new LinkedHashMap<>());
                } else if (current != null && line.startsWith(":")) {
                    var parts = line.substring(1).split(" ");
                    current.putIfAbsent(parts[0], new Chain(parts.length > 1 ? parts[1] : "-", new java.util.ArrayList<>()));
                } else if (current != null && line.startsWith("-A ")) {
                    var end = line.indexOf(' ', 3);
                    var chain = end < 0 ? line.substring(3) : line.substring(3, end);
                    current.computeIfAbsent(chain, c -> new Chain("-", new java.util.ArrayList<>()))
                            .rules().add(end < 0 ? "" : line.substring(end + 1));
                }
            }
            return tables;
        }

        /** "nat:KUBE-SERVICES", ... for every chain kube-proxy made here. */
        public List<String> kubeChains() {
            return tables().entrySet().stream().flatMap(t -> t.getValue().keySet().stream()
                    .filter(c -> c.startsWith("KUBE-")).map(c -> t.getKey() + ":" + c)).toList();
        }

        public String label() {
            return "iptables-" + mode.label();
        }
    }

    public record Chain(String policy, List<String> rules) {
    }
}
