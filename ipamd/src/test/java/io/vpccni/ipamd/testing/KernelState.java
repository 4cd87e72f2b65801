package io.vpccni.ipamd.testing;

/** A snapshot of the test namespace's links, rules, routes and neighbours, to prove nothing was left behind. */
public record KernelState(String links, String rules, String routes, String neighbours) {
    public static KernelState capture() {
        return new KernelState(
                Ip.run("-o", "link", "show").lines().map(l -> l.split(": ")[1].split("@")[0]).sorted().toList().toString(),
                Ip.run("rule", "show"),
                Ip.run("route", "show", "table", "all"),
                Ip.run("neigh", "show", "nud", "permanent"));
    }
}
