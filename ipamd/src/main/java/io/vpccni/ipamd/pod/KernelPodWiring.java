package io.vpccni.ipamd.pod;

import io.vpccni.ipamd.net.Errno;
import io.vpccni.ipamd.net.IpPrefix;
import io.vpccni.ipamd.net.Link;
import io.vpccni.ipamd.net.Macs;
import io.vpccni.ipamd.net.NetNs;
import io.vpccni.ipamd.net.Netlink;
import io.vpccni.ipamd.net.NetlinkException;
import io.vpccni.ipamd.net.Neighbour;
import io.vpccni.ipamd.net.Route;
import io.vpccni.ipamd.net.Rule;
import io.vpccni.ipamd.pool.Allocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet4Address;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.function.Function;

/**
 * The pod data path, exactly as upstream lays it out. In the pod: {@code <ifname>} with {@code <ip>/32}, a
 * link route to 169.254.1.1, the default route through it, and a permanent ARP entry for it pointing at
 * the host veth. On the host: the veth (random locally administered MAC), {@code <ip>/32 dev <veth> scope
 * link} in main, rule 512 {@code to <ip> lookup main}, and rule 1536 {@code from <ip> lookup <ENI table>}
 * for addresses of secondary ENIs.
 */
public final class KernelPodWiring implements PodWiring {
    private static final Logger log = LoggerFactory.getLogger(KernelPodWiring.class);

    public static final Inet4Address GATEWAY = IpPrefix.ipv4("169.254.1.1");
    public static final int TO_POD_PRIORITY = 512;
    public static final int FROM_POD_PRIORITY = 1536;

    private final Netlink host;
    private final NetNs hostNs;
    private final Function<NetNs, Netlink> podNetlink;
    private final LinkReaper reaper;
    private final String vethPrefix;
    /** What the healer keeps in place for one pod: its host route and policy rules. */
    private record Owned(Route hostRoute, List<Rule> rules) {
    }

    /** Every pod this daemon wired, by pod address. */
    private final java.util.Map<IpPrefix, Owned> owned = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param host       rtnetlink in the daemon's (host) namespace
     * @param hostNs     the host namespace, where pod veths' host ends are placed
     * @param podNetlink opens rtnetlink inside a pod's namespace
     * @param reaper     deletes torn-down veths in the background
     * @param vethPrefix the prefix of host veths this daemon creates, for garbage collection
     */
    public KernelPodWiring(Netlink host, NetNs hostNs, Function<NetNs, Netlink> podNetlink, LinkReaper reaper, String vethPrefix) {
        this.host = host;
        this.hostNs = hostNs;
        this.podNetlink = podNetlink;
        this.reaper = reaper;
        this.vethPrefix = vethPrefix;
    }

    static String hostVeth(PodNetworkRequest request) {
        return VethNames.hostVeth(request.settings().vethPrefix(), request.pod().namespace(), request.pod().name());
    }

    @Override
    public PodInterfaces setUp(PodNetworkRequest request, Allocation allocation) {
        var veth = hostVeth(request);
        var ifName = request.key().ifName();
        var ip = IpPrefix.host(allocation.ipv4());
        var undo = new ArrayDeque<Runnable>();
        try (var ns = openNetns(request.netns(), "ADD"); var pod = podNetlink.apply(ns)) {
            var hostMac = ensureVeth(pod, ns, veth, ifName, request.settings().mtu(), undo);
            host.setUp(veth, true);
            pod.setUp(ifName, true);
            var podLink = pod.link(ifName).orElseThrow(() -> new WiringException(ifName + " vanished from " + ns));
            if (!pod.addresses().contains(new io.vpccni.ipamd.net.Address(podLink.index(), ip))) {
                pod.addAddress(ifName, ip);
            }
            pod.replaceRoute(Route.link(IpPrefix.host(GATEWAY), podLink.index(), Route.MAIN));
            pod.replaceRoute(Route.via(IpPrefix.DEFAULT, GATEWAY, podLink.index(), Route.MAIN));
            pod.setPermanentNeighbour(new Neighbour(podLink.index(), GATEWAY, hostMac, Neighbour.PERMANENT));

            var hostLink = host.link(veth).orElseThrow(() -> new WiringException("host veth " + veth + " vanished"));
            host.replaceRoute(Route.link(ip, hostLink.index(), Route.MAIN));
            undo.push(() -> host.deleteRoute(Route.link(ip, hostLink.index(), Route.MAIN)));
            for (var rule : rulesOf(allocation)) {
                ensureRule(rule, undo);
            }
            owned.put(ip, new Owned(Route.link(ip, hostLink.index(), Route.MAIN), rulesOf(allocation)));
            return new PodInterfaces(veth, hostMac, ifName, podLink.mac());
        } catch (RuntimeException e) {
            rollBack(undo, request);
            throw e instanceof WiringException w ? w : new WiringException(e.getMessage(), e);
        }
    }

    /** Creates the pair unless this pod already has it; replaces a same-named host veth left by an old sandbox. */
    private String ensureVeth(Netlink pod, NetNs ns, String veth, String ifName, int mtu, Deque<Runnable> undo) {
        var existingHost = host.link(veth);
        if (existingHost.isPresent()) {
            try {
                reaper.awaitGone(existingHost.get().index());  // a veth a DEL just handed over is dying, not ours to keep
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WiringException("interrupted while waiting for the old veth " + veth + " to go");
            }
            existingHost = host.link(veth);
        }
        var existingPod = pod.link(ifName);
        if (existingHost.isPresent() && existingPod.isPresent() && "veth".equals(existingPod.get().kind())) {
            return existingHost.get().mac();  // a repeated ADD: keep what is there
        }
        if (existingPod.isPresent()) {
            throw new WiringException(ifName + " already exists in " + ns + " and is not this pod's veth");
        }
        if (existingHost.isPresent()) {
            log.warn("replacing host veth {} left by an earlier sandbox of the same pod", veth);
            deleteLinkIfPresent(veth);
        }
        var hostMac = Macs.randomLocal();
        pod.createVeth(ifName, veth, hostNs, mtu, hostMac);
        undo.push(() -> deleteLinkIfPresent(veth));  // deleting one end removes the pair and all it carries
        return hostMac;
    }

    private void ensureRule(Rule rule, Deque<Runnable> undo) {
        try {
            host.addRule(rule);
            undo.push(() -> host.deleteRule(rule));
        } catch (NetlinkException e) {
            if (!e.is(Errno.EEXIST)) {
                throw e;
            }
        }
    }

    private static void rollBack(Deque<Runnable> undo, PodNetworkRequest request) {
        while (!undo.isEmpty()) {
            try {
                undo.pop().run();
            } catch (RuntimeException e) {
                log.error("rolling back ADD of {} left something behind: {}", request.key(), e.getMessage());
            }
        }
    }

    @Override
    public void tearDown(PodNetworkRequest request, Allocation allocation) {
        var veth = request.pod().name().isEmpty() && request.prevResult() != null
                ? request.prevResult().interfaces().hostVethName() : hostVeth(request);
        var ipText = allocation != null ? allocation.ipv4Text() : request.prevResult() == null ? null : request.prevResult().firstIp();
        var errors = new ArrayList<String>();
        var hostLink = veth == null || veth.isEmpty() ? null : host.link(veth).orElse(null);
        if (ipText != null) {
            var ip = IpPrefix.of(ipText);
            owned.remove(ip);  // first, so the healer does not put back what DEL takes away
            // Deleted by their match fields, no dump needed; table 0 matches whichever table 1536 points at.
            attempt(errors, () -> host.deleteRule(Rule.to(TO_POD_PRIORITY, ip, 0)));
            attempt(errors, () -> host.deleteRule(Rule.from(FROM_POD_PRIORITY, ip, 0)));
            if (hostLink != null && !routesTo(hostLink, ip)) {
                // The veth carries another address: a newer sandbox of the same pod owns it now.
                log.info("DEL {}: host veth {} no longer routes {}; leaving it to the pod that does", request.key(), veth, ip);
                hostLink = null;
            } else if (hostLink != null) {
                var link = hostLink;
                attempt(errors, () -> host.deleteRoute(Route.link(ip, link.index(), Route.MAIN)));
            }
        }
        if (!errors.isEmpty()) {
            throw new WiringException("DEL " + request.key() + " left " + errors.size() + " object(s) behind: " + String.join("; ", errors));
        }
        if (hostLink != null) {
            reaper.reap(hostLink.index(), hostLink.name());  // the pod is already cut off; the link itself goes next
        }
    }

    private boolean routesTo(Link link, IpPrefix ip) {
        var routes = host.routes(Route.MAIN);
        var anyRoute = false;
        for (var r : routes) {
            if (r.oif() == link.index() && r.dst().length() == 32) {
                anyRoute = true;
                if (r.dst().equals(ip)) {
                    return true;
                }
            }
        }
        return !anyRoute;  // a half-wired veth with no pod route at all is this pod's leftover
    }

    private void deleteLinkIfPresent(String name) {
        try {
            host.deleteLink(name);
        } catch (NetlinkException e) {
            if (!e.is(Errno.ENODEV)) {
                throw e;
            }
        }
    }

    private static void attempt(List<String> errors, Runnable step) {
        try {
            step.run();
        } catch (NetlinkException e) {
            if (!e.is(Errno.ENOENT) && !e.is(Errno.ESRCH) && !e.is(Errno.ENODEV)) {
                errors.add(e.getMessage());
            }
        }
    }

    @Override
    public boolean isWired(Allocation allocation) {
        var veth = host.link(VethNames.hostVeth(vethPrefix, allocation.pod().namespace(), allocation.pod().name()));
        veth.ifPresent(link -> {  // a restart takes the pod's route and rules over again
            var ip = IpPrefix.host(allocation.ipv4());
            owned.put(ip, new Owned(Route.link(ip, link.index(), Route.MAIN), rulesOf(allocation)));
        });
        return veth.isPresent();
    }

    private static List<Rule> rulesOf(Allocation allocation) {
        var ip = IpPrefix.host(allocation.ipv4());
        return allocation.routeTableId() == Route.MAIN ? List.of(Rule.to(TO_POD_PRIORITY, ip, Route.MAIN))
                : List.of(Rule.to(TO_POD_PRIORITY, ip, Route.MAIN), Rule.from(FROM_POD_PRIORITY, ip, allocation.routeTableId()));
    }

    /** The rules of every pod this daemon wired (and of pods restored at start). */
    public List<Rule> ownedRules() {
        var out = new ArrayList<Rule>();
        owned.values().forEach(o -> out.addAll(o.rules()));
        return out;
    }

    /** The host route of every pod this daemon wired: {@code <pod IP>/32 dev <host veth> scope link}. */
    public List<Route> ownedRoutes() {
        return owned.values().stream().map(Owned::hostRoute).toList();
    }

    @Override
    public List<Drift> check(PodNetworkRequest request, Allocation allocation) {
        return new PodCheck(host, podNetlink, request, allocation, hostVeth(request)).run();
    }

    @Override
    public List<String> removeStale(List<Allocation> live) {
        var liveVeths = new HashSet<String>();
        var liveIps = new HashSet<IpPrefix>();
        for (var a : live) {
            liveVeths.add(VethNames.hostVeth(vethPrefix, a.pod().namespace(), a.pod().name()));
            liveIps.add(IpPrefix.host(a.ipv4()));
        }
        var errors = new ArrayList<String>();
        for (var rule : host.rules()) {
            var podRule = (rule.priority() == TO_POD_PRIORITY && rule.dst() != null && rule.dst().length() == 32 && rule.src() == null)
                    || (rule.priority() == FROM_POD_PRIORITY && rule.src() != null && rule.src().length() == 32 && rule.dst() == null);
            var ip = rule.priority() == TO_POD_PRIORITY ? rule.dst() : rule.src();
            if (podRule && !liveIps.contains(ip)) {
                attempt(errors, () -> host.deleteRule(rule));
                log.info("GC removed {}", rule);
            }
        }
        for (var link : host.links()) {
            if ("veth".equals(link.kind()) && isPodVeth(link.name()) && !liveVeths.contains(link.name())) {
                reaper.reap(link.index(), link.name());
                log.info("GC removing host veth {}", link.name());
            }
        }
        return errors;
    }

    /** Our naming: the prefix and exactly 11 lower-case hex digits. */
    private boolean isPodVeth(String name) {
        if (!name.startsWith(vethPrefix) || name.length() != vethPrefix.length() + 11) {
            return false;
        }
        for (var i = vethPrefix.length(); i < name.length(); i++) {
            if (Character.digit(name.charAt(i), 16) < 0 || Character.isUpperCase(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static NetNs openNetns(String path, String verb) {
        if (path == null || path.isEmpty()) {
            throw new WiringException(verb + " needs the pod's network namespace, and none was given");
        }
        try {
            return NetNs.open(Path.of(path));
        } catch (NetlinkException e) {
            throw new WiringException(verb + ": cannot open the pod's network namespace: " + e.getMessage(), e);
        }
    }
}
