package io.vpccni.test.bench;

import io.vpccni.ipamd.schedule.VirtualThreadScheduler;
import io.vpccni.ipamd.owned.OwnedState;
import io.vpccni.ipamd.guard.StateHealer;
import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.net.RtNetlink;
import io.vpccni.ipamd.net.Route;
import io.vpccni.ipamd.net.Rule;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

/**
 * Time from a rule flush (what a systemd-networkd restart does to foreign rules) to every pod rule back:
 * N pods (rule 512, and 1536 for half of them, on a secondary ENI; each with its host route, which the
 * healer also owns and checks, as in the daemon), flushed R times with RTM_DELRULE of every rule, as fast
 * as netlink allows. Runs as root inside a private namespace (test/bench/heal-bench.sh).
 */
public final class HealBench {
    private HealBench() {
    }

    public static void main(String[] args) throws Exception {
        var pods = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        var rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        var owned = new ArrayList<Rule>();
        for (var i = 0; i < pods; i++) {
            var ip = IpPrefix.of("10.0." + (1 + i / 250) + "." + (1 + i % 250) + "/32");
            owned.add(Rule.to(512, ip, 254));
            if (i % 2 == 1) {
                owned.add(Rule.from(1536, ip, 2 + i % 3));
            }
        }
        var routes = new ArrayList<Route>();
        try (var host = RtNetlink.open(); var flusher = RtNetlink.open();
             var scheduler = new VirtualThreadScheduler();
             var healer = new StateHealer(host, () -> new OwnedState(owned, routes, List.of()), Duration.ofSeconds(30))) {
            host.createVeth("benchveth", "benchpeer", null, 9001, null);
            host.setUp("benchveth", true);
            var veth = host.link("benchveth").orElseThrow().index();
            for (var r : owned) {
                host.addRule(r);
                if (r.priority() == 512) {
                    routes.add(Route.link(r.dst(), veth, Route.MAIN));
                    host.replaceRoute(routes.getLast());
                }
            }
            healer.start(scheduler);
            Thread.sleep(200);
            var times = new long[rounds];
            for (var round = 0; round < rounds; round++) {
                var start = System.nanoTime();
                for (var r : owned) {
                    flusher.deleteRule(r);
                }
                while (!new HashSet<>(flusher.rules()).containsAll(owned)) {
                    Thread.onSpinWait();
                }
                times[round] = System.nanoTime() - start;
                Thread.sleep(50);
            }
            Arrays.sort(times);
            System.out.printf("| %d pods (%d rules) | %d flushes | median %.1f ms | p99 %.1f ms | max %.1f ms | restored %d |%n",
                    pods, owned.size(), rounds, times[rounds / 2] / 1e6, times[(int) Math.ceil(rounds * 0.99) - 1] / 1e6,
                    times[rounds - 1] / 1e6, healer.restoredRules());
        }
    }
}
