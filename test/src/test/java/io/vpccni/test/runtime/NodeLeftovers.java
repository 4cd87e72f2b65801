package io.vpccni.test.runtime;

import io.vpccni.ipamd.testing.Ip;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What pods leave on a node once their runtime removed them, if anything: host-side veths (the conflist's
 * {@code eni} prefix), the per-pod rules (512 to the pod, 1536 from it), the runtime's named network namespaces,
 * portmap's per-container DNAT chains. An empty list means nothing is left behind.
 */
final class NodeLeftovers {
    private NodeLeftovers() {
    }

    /** @param podIps the addresses the pods had */
    static List<String> of(Collection<String> podIps) {
        var left = new ArrayList<String>();
        for (var link : Ip.run("-o", "link", "show").lines().toList()) {
            var name = link.split(": ")[1].split("@")[0];
            if (name.startsWith("eni")) {
                left.add("veth " + name);
            }
        }
        for (var rule : Ip.run("rule", "show").lines().toList()) {
            if ((rule.startsWith("512:") || rule.startsWith("1536:")) && podIps.stream().anyMatch(ip -> mentions(rule, ip))) {
                left.add("rule " + rule.strip());
            }
        }
        try (var names = Files.list(Path.of("/run/netns"))) {
            names.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("netns-") || n.startsWith("cni-"))
                    .forEach(n -> left.add("netns " + n));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (var line : Command.of("iptables-save", "-t", "nat").output().lines().toList()) {
            if (line.startsWith(":CNI-DN-")) {
                left.add("portmap chain " + line.split(" ")[0].substring(1));
            }
        }
        return left;
    }

    /** Whether a rule's selector names {@code ip} (as itself or its /32), token by token: 10.0.1.5 is not 10.0.1.50. */
    /** How many of {@code leftovers} are of {@code kind} ("veth", "rule", "netns", "portmap chain"). */
    static long count(List<String> leftovers, String kind) {
        return leftovers.stream().filter(l -> l.startsWith(kind + " ")).count();
    }

    private static boolean mentions(String rule, String ip) {
        return List.of(rule.strip().split("\\s+")).stream().anyMatch(t -> t.equals(ip) || t.equals(ip + "/32"));
    }
}
