package io.vpccni.ipamd.observe;

import io.vpccni.ipamd.guard.EniGuard;
import io.vpccni.ipamd.guard.StateHealer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /v1/guard} (ours): each ENI of the pool with its link, the manager that owns the link as the guard reads
 * it now, and whether the guard refuses the ENI; and what the healer has put back, in total and lately.
 */
final class GuardDocument {
    /** What the healer has restored since start. */
    record Restored(long rules, long routes, long addresses) {
    }

    private GuardDocument() {
    }

    /** @param primaryIps each ENI link's primary address by link index (as the daemon configured it, else the kernel's) */
    static Map<String, Object> of(List<EniGuard.Verdict> verdicts, Map<Integer, String> primaryIps, Restored restored,
                                  List<StateHealer.Heal> recent) {
        var enis = verdicts.stream().map(v -> eni(v, primaryIps)).toList();
        var totals = new LinkedHashMap<String, Object>();
        totals.put("rules", restored.rules());
        totals.put("routes", restored.routes());
        totals.put("addresses", restored.addresses());
        var heals = new LinkedHashMap<String, Object>();
        heals.put("restored", totals);
        heals.put("recent", recent.stream().map(GuardDocument::heal).toList());
        var out = new LinkedHashMap<String, Object>();
        out.put("enis", enis);
        out.put("heals", heals);
        return out;
    }

    private static Map<String, Object> eni(EniGuard.Verdict v, Map<Integer, String> primaryIps) {
        var info = v.eni().info();
        var out = new LinkedHashMap<String, Object>();
        out.put("eniId", info.eniId());
        out.put("mac", info.mac());
        out.put("link", v.link() == null ? "" : v.link().name());
        out.put("linkIndex", v.link() == null ? 0 : v.link().index());
        out.put("primary", info.primary());
        out.put("deviceNumber", info.deviceNumber());
        out.put("routeTable", info.routeTableId());
        out.put("primaryIp", v.link() == null ? "" : primaryIps.getOrDefault(v.link().index(), ""));
        out.put("owner", DaemonMetrics.manager(v.owner()));
        out.put("ownerDetail", v.owner().describe());
        out.put("refused", v.refused());
        out.put("excluded", v.eni().excluded());
        return out;
    }

    private static Map<String, Object> heal(StateHealer.Heal h) {
        var out = new LinkedHashMap<String, Object>();
        out.put("at", h.at().toString());
        out.put("cause", h.cause());
        out.put("rules", h.repair().rules());
        out.put("routes", h.repair().routes());
        out.put("addresses", h.repair().addresses());
        return out;
    }
}
