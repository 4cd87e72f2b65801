package io.vpccni.ipamd.doctor;

import java.util.List;

/** The daemon's {@code GET /v1/pods}: its pool and every attachment it holds, with its own view of their wiring. */
public record PodsView(Pool pool, List<Pod> pods) {
    public PodsView {
        pods = List.copyOf(pods);
    }

    public record Pool(boolean open, String reason, int availableAddresses, int assignedAddresses, int maxPods) {
    }

    /** One attachment; {@code routeTable} 254 (main) for pods on the primary ENI. */
    public record Pod(String namespace, String name, String containerId, String ifName, String networkName, String ip,
                      String eniId, int deviceNumber, int routeTable, String hostVeth, String assignedAt, Wiring wiring) {
        public String describe() {
            return "pod " + namespace + "/" + name + (ifName.equals("eth0") || ifName.isEmpty() ? "" : " (" + ifName + ")");
        }
    }

    /** What the daemon's own check of the pod found; {@code checked} is "host" or "host+pod". */
    public record Wiring(String checked, boolean healthy, List<Drift> drifts) {
        public Wiring {
            drifts = List.copyOf(drifts);
        }
    }

    public record Drift(String object, String expected, String actual) {
    }
}
