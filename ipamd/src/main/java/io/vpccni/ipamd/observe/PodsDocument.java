package io.vpccni.ipamd.observe;

import io.vpccni.ipamd.pod.Drift;
import io.vpccni.ipamd.pod.PodNetworks;
import io.vpccni.ipamd.pool.Allocation;
import io.vpccni.ipamd.pool.EniDetail;
import io.vpccni.ipamd.pool.PoolStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code /v1/pods} (ours; upstream has none): the pool's state and every pod the daemon holds an address for, with
 * where it lives (ENI, device, route table, host veth) and its wiring as CHECK sees it: both sides when the pod's
 * namespace is known, else the host side. An address EC2 took away behind the daemon's back is still listed, with
 * {@code "orphaned": true} and no ENI, until the pod's DEL.
 */
final class PodsDocument {
    /** One held address, as the datastore describes it. */
    record Held(Allocation allocation, String eniId, Instant assignedAt) {
    }

    private PodsDocument() {
    }

    /** Every assigned address of {@code enis}, then the orphaned ones. */
    static List<Held> held(List<EniDetail> enis, List<Allocation> orphaned) {
        var out = new ArrayList<Held>();
        for (var eni : enis) {
            for (var cidr : eni.cidrs()) {
                for (var a : cidr.addresses()) {
                    if (a.assigned() != null) {
                        out.add(new Held(a.assigned(), eni.info().eniId(), a.assignedAt()));
                    }
                }
            }
        }
        orphaned.forEach(a -> out.add(new Held(a, "", null)));
        return out;
    }

    static Map<String, Object> of(PoolStatus status, int maxPods, List<Held> held,
                                  Function<List<Allocation>, List<PodNetworks.Inspection>> inspect) {
        var checks = inspect.apply(held.stream().map(Held::allocation).toList());
        var pods = new ArrayList<Map<String, Object>>();
        for (var i = 0; i < held.size(); i++) {
            pods.add(pod(held.get(i), checks.get(i)));
        }
        var pool = new LinkedHashMap<String, Object>();
        pool.put("open", status.ready());
        pool.put("reason", status.reason() == null ? "" : status.reason());
        pool.put("availableAddresses", status.availableAddresses());
        pool.put("assignedAddresses", status.assignedAddresses());
        pool.put("maxPods", maxPods);
        var out = new LinkedHashMap<String, Object>();
        out.put("pool", pool);
        out.put("pods", pods);
        return out;
    }

    private static Map<String, Object> pod(Held held, PodNetworks.Inspection check) {
        var a = held.allocation();
        var wiring = new LinkedHashMap<String, Object>();
        wiring.put("checked", check.checked());
        wiring.put("healthy", check.drifts().isEmpty());
        wiring.put("drifts", check.drifts().stream().map(PodsDocument::drift).toList());
        var pod = new LinkedHashMap<String, Object>();
        pod.put("namespace", a.pod().namespace());
        pod.put("name", a.pod().name());
        pod.put("containerId", a.key().containerId());
        pod.put("ifName", a.key().ifName());
        pod.put("networkName", a.key().networkName());
        pod.put("ip", a.ipv4Text());
        pod.put("eniId", held.eniId());
        pod.put("deviceNumber", a.deviceNumber());
        pod.put("routeTable", a.routeTableId());
        pod.put("hostVeth", check.veth());
        pod.put("assignedAt", held.assignedAt() == null ? "" : held.assignedAt().toString());
        pod.put("orphaned", held.eniId().isEmpty());
        pod.put("wiring", wiring);
        return pod;
    }

    private static Map<String, Object> drift(Drift d) {
        var out = new LinkedHashMap<String, Object>();
        out.put("object", d.object());
        out.put("expected", d.expected());
        out.put("actual", d.actual());
        return out;
    }
}
