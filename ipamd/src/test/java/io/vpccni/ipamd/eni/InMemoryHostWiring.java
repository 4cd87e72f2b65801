package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.pool.EniInfo;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The host side of secondary ENIs without a kernel: what is wired, on which link, with which route table. Like the
 * kernel, it refuses to wire an ENI whose link is not there; both methods are idempotent, as the port requires.
 */
final class InMemoryHostWiring implements EniHostWiring {
    record Wired(String link, String primaryIp, IpPrefix subnet, int routeTable) {
    }

    private final SimulatedLinks links;
    private final Map<String, Wired> wired = new ConcurrentHashMap<>();

    InMemoryHostWiring(SimulatedLinks links) {
        this.links = links;
    }

    @Override
    public void setUp(EniInfo eni, String linkName, String primaryIp, IpPrefix subnet) {
        if (!links.link(eni.mac()).map(linkName::equals).orElse(false)) {
            throw new IllegalStateException("cannot wire " + eni.eniId() + ": no link " + linkName + " with MAC " + eni.mac());
        }
        wired.put(eni.eniId(), new Wired(linkName, primaryIp, subnet, eni.routeTableId()));
    }

    @Override
    public void tearDown(EniInfo eni) {
        wired.remove(eni.eniId());
    }

    /** ENI id → how it is wired. */
    Map<String, Wired> wired() {
        return Map.copyOf(wired);
    }
}
