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
import io.vpccni.ipamd.owned.OwnershipRegistry;
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
 * for addresses of secondary ENIs. What it makes is recorded in the {@link OwnershipRegistry}, per attachment;
 * DEL, GC and CHECK go by that record, so they never touch another attachment's objects.
 */
public final class KernelPodWiring implements PodWiring {
    private static final Logger log = LoggerFactory.getLogger(KernelPodWiring.class);

    public static final Inet4Address GATEWAY = IpPrefix.ipv4("169.254.1.1");
    public static final int TO_POD_PRIORITY = 512;
    public static final int FROM_POD_PRIORITY = 1536;
    /** How long an ADD waits for the background deletion of a same-named veth (normally tens of milliseconds). */
    private static final java.time.Duration REAP_WAIT = java.time.Duration.ofSeconds(5);

    private final Netlink host;
    private final NetNs hostNs;
    private final Function<NetNs, Netlink> podNetlink;
    private final LinkReaper reaper;
    private final String vethPrefix;
    private final OwnershipRegistry registry;

    /**
     * @param host       rtnetlink in the daemon's (host) namespace
     * @param hostNs     the host namespace, where pod veths' host ends are placed
     * @param podNetlink opens rtnetlink inside a pod's namespace
     * @param reaper     deletes torn-down veths in the background
     * @param vethPrefix AWS_VPC_K8S_CNI_VETHPREFIX: the prefix of every host veth this daemon creates
     * @param registry   where what this wiring makes is recorded
     */
    public KernelPodWiring(Netlink host, NetNs hostNs, Function<NetNs, Netlink> podNetlink, LinkReaper reaper, String vethPrefix,
                           OwnershipRegistry registry) {
        this.host = host;
        this.hostNs = hostNs;
        this.podNetlink = podNetlink;
        this.reaper = reaper;
        this.vethPrefix = vethPrefix;
        this.registry = registry;
    }

    /**
     * The daemon's prefix is the one prefix: the network config's {@code vethPrefix} must agree with it (empty
     * means "the daemon's"), or restore, GC and SNAT would look for veths under another name.
     */
    @Override
    public String hostVeth(PodNetworkRequest request) {
        var asked = request.settings().vethPrefix();
        if (!asked.isEmpty() && !asked.equals(vethPrefix)) {
            throw new IllegalArgumentException("the network config's vethPrefix '" + asked + "' differs from the daemon's "
                    + "AWS_VPC_K8S_CNI_VETHPREFIX '" + vethPrefix + "'; render the conflist from the same setting");
        }
        return VethNames.hostVeth(vethPrefix, request.pod().namespace(), request.pod().name());
    }

    @Override
    public PodInterfaces setUp(PodNetworkRequest request, Allocation allocation) {
        var veth = hostVeth(request);
        var ifName = request.key().ifName();
        var ip = IpPrefix.host(allocation.ipv4());
        var undo = new ArrayDeque<Runnable>();
        registry.claim(request.key(), veth, ip);
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
            var hostRoute = Route.link(ip, hostLink.index(), Route.MAIN);
            host.replaceRoute(hostRoute);
            undo.push(() -> host.deleteRoute(hostRoute));
            var rules = rulesOf(allocation);
            for (var rule : rules) {
                ensureRule(rule, undo);
            }
            registry.own(new OwnershipRegistry.PodObjects(request.key(), ip, veth, hostLink.index(), List.of(hostRoute), rules));
            return new PodInterfaces(veth, hostMac, ifName, podLink.mac());
        } catch (RuntimeException e) {
            rollBack(undo, request);
            registry.unclaim(request.key(), veth, ip);
            throw e instanceof WiringException || e instanceof IllegalArgumentException ? e : new WiringException(e.getMessage(), e);
        }
    }

    /** Creates the pair unless this pod already has it; replaces a same-named host veth left by an old sandbox. */
    private String ensureVeth(Netlink pod, NetNs ns, String veth, String ifName, int mtu, Deque<Runnable> undo) {
        var existingHost = host.link(veth);
        if (existingHost.isPresent()) {
            try {
                // A veth a DEL just handed over is dying, not ours to keep; if its deletion is stuck, it is replaced below.
                if (!reaper.awaitGone(existingHost.get().index(), REAP_WAIT)) {
                    log.warn("the earlier veth {} is still being deleted after {}; replacing it", veth, REAP_WAIT);
                }
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

    /**
     * Removes exactly what the registry records for this attachment. Without a record (an ADD that never
     * finished, a daemon that lost its checkpoint) it falls back on the address and veth the allocation or
     * prevResult name, and still leaves alone whatever another attachment owns or is building.
     */
    @Override
    public void tearDown(PodNetworkRequest request, Allocation allocation) {
        var errors = new ArrayList<String>();
        var record = registry.release(request.key());  // first, so the healer does not put back what DEL takes away
        String veth;
        int vethIndex;
        if (record.isPresent()) {
            var pod = record.get();
            pod.rules().forEach(rule -> attempt(errors, () -> host.deleteRule(rule)));
            pod.routes().forEach(route -> attempt(errors, () -> host.deleteRoute(route)));
            veth = pod.veth();
            vethIndex = pod.vethIndex();
        } else {
            veth = vethWithoutRecord(request, allocation);
            var link = veth == null ? null : host.link(veth).orElse(null);
            var ipText = allocation != null ? allocation.ipv4Text() : request.prevResult() == null ? null : request.prevResult().firstIp();
            var ip = ipText == null ? null : IpPrefix.of(ipText);
            if (ip != null && registry.ipHolder(ip).isEmpty()) {
                // Deleted by their match fields, no dump needed; table 0 matches whichever table 1536 points at.
                attempt(errors, () -> host.deleteRule(Rule.to(TO_POD_PRIORITY, ip, 0)));
                attempt(errors, () -> host.deleteRule(Rule.from(FROM_POD_PRIORITY, ip, 0)));
                if (link != null && routesTo(link, ip)) {
                    attempt(errors, () -> host.deleteRoute(Route.link(ip, link.index(), Route.MAIN)));
                }
            }
            vethIndex = link != null && (ip == null || routesTo(link, ip)) ? link.index() : 0;
        }
        if (!errors.isEmpty()) {
            throw new WiringException("DEL " + request.key() + " left " + errors.size() + " object(s) behind: " + String.join("; ", errors));
        }
        if (vethIndex == 0 || veth == null) {
            return;
        }
        var holder = registry.vethHolder(veth);
        if (holder.isPresent()) {
            log.info("DEL {}: host veth {} now belongs to {}; leaving it", request.key(), veth, holder.get());
            return;
        }
        reaper.reap(vethIndex, veth);  // by ifindex: the pod is already cut off; the link itself goes next
    }

    /** The host veth a DEL without a record may remove: the recorded or prevResult name, else the derived one. */
    private String vethWithoutRecord(PodNetworkRequest request, Allocation allocation) {
        if (allocation != null && !allocation.hostVeth().isEmpty()) {
            return allocation.hostVeth();
        }
        if (request.prevResult() != null && !request.prevResult().interfaces().hostVethName().isEmpty()) {
            return request.prevResult().interfaces().hostVethName();
        }
        return request.pod().name().isEmpty() ? null : VethNames.hostVeth(vethPrefix, request.pod().namespace(), request.pod().name());
    }

    /** Whether {@code link} routes {@code ip}; a half-wired veth with no pod route at all counts as this pod's. */
    private boolean routesTo(Link link, IpPrefix ip) {
        var anyRoute = false;
        for (var r : host.routes(Route.MAIN)) {
            if (r.oif() == link.index() && r.dst().length() == 32) {
                anyRoute = true;
                if (r.dst().equals(ip)) {
                    return true;
                }
            }
        }
        return !anyRoute;
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

    /**
     * At restart: whether the pod of a restored allocation still has its host veth, and if so, takes its
     * host route and rules over again, into the table of the ENI its address lives on. A veth already adopted
     * (by a newer sandbox of the same pod, restored first) is not this allocation's.
     */
    @Override
    public boolean adopt(Allocation allocation) {
        var name = recordedOrDerivedVeth(allocation);
        if (registry.vethHolder(name).isPresent()) {
            return false;
        }
        var veth = host.link(name);
        veth.ifPresent(link -> {
            var ip = IpPrefix.host(allocation.ipv4());
            registry.own(new OwnershipRegistry.PodObjects(allocation.key(), ip, name, link.index(),
                    List.of(Route.link(ip, link.index(), Route.MAIN)), rulesOf(allocation)));
        });
        return veth.isPresent();
    }

    private String recordedOrDerivedVeth(Allocation allocation) {
        return allocation.hostVeth().isEmpty()
                ? VethNames.hostVeth(vethPrefix, allocation.pod().namespace(), allocation.pod().name()) : allocation.hostVeth();
    }

    private static List<Rule> rulesOf(Allocation allocation) {
        var ip = IpPrefix.host(allocation.ipv4());
        return allocation.routeTableId() == Route.MAIN ? List.of(Rule.to(TO_POD_PRIORITY, ip, Route.MAIN))
                : List.of(Rule.to(TO_POD_PRIORITY, ip, Route.MAIN), Rule.from(FROM_POD_PRIORITY, ip, allocation.routeTableId()));
    }

    @Override
    public List<Drift> check(PodNetworkRequest request, Allocation allocation) {
        var veth = registry.pod(request.key()).map(OwnershipRegistry.PodObjects::veth).orElseGet(() -> recordedOrDerivedVeth(allocation));
        return new PodCheck(host, path -> openNetns(path, "CHECK"), podNetlink, request, allocation, veth).run();
    }

    @Override
    public List<HostSideCheck.Result> checkHostSide(List<Allocation> allocations) {
        var check = new HostSideCheck(host.links(), host.routes(Route.MAIN), host.rules());
        return allocations.stream().map(a -> check.check(a, registry.pod(a.key()).map(OwnershipRegistry.PodObjects::veth)
                .orElseGet(() -> recordedOrDerivedVeth(a)))).toList();
    }

    /**
     * Removes pod rules and veths that look like this daemon's but belong to no attachment: neither in the
     * registry (owned or being built) nor held by any of {@code live}, on any network.
     */
    @Override
    public List<String> removeStale(List<Allocation> live) {
        var liveVeths = new HashSet<String>();
        var liveIps = new HashSet<IpPrefix>();
        for (var a : live) {
            liveVeths.add(recordedOrDerivedVeth(a));
            liveIps.add(IpPrefix.host(a.ipv4()));
        }
        var errors = new ArrayList<String>();
        for (var rule : host.rules()) {
            var podRule = (rule.priority() == TO_POD_PRIORITY && rule.dst() != null && rule.dst().length() == 32 && rule.src() == null)
                    || (rule.priority() == FROM_POD_PRIORITY && rule.src() != null && rule.src().length() == 32 && rule.dst() == null);
            var ip = rule.priority() == TO_POD_PRIORITY ? rule.dst() : rule.src();
            if (podRule && !liveIps.contains(ip) && registry.ipHolder(ip).isEmpty()) {
                attempt(errors, () -> host.deleteRule(rule));
                log.info("GC removed {}", rule);
            }
        }
        for (var link : host.links()) {
            if ("veth".equals(link.kind()) && isPodVeth(link.name()) && !liveVeths.contains(link.name())
                    && registry.vethHolder(link.name()).isEmpty()) {
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

    /**
     * Opens the pod's network namespace, refusing any file that is not one and the daemon's own namespace: the
     * daemon runs as root, and wiring a "pod" in the host namespace would replace the node's default route.
     *
     * @throws IllegalArgumentException when {@code path} is not a pod's network namespace
     */
    NetNs openNetns(String path, String verb) {
        if (path == null || path.isEmpty()) {
            throw new WiringException(verb + " needs the pod's network namespace, and none was given");
        }
        NetNs ns;
        try {
            ns = NetNs.open(Path.of(path));
        } catch (NetlinkException e) {
            throw new WiringException(verb + ": cannot open the pod's network namespace: " + e.getMessage(), e);
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException("netns path is not a valid path: " + e.getMessage());
        }
        if (ns.sameAs(hostNs)) {
            ns.close();
            throw new IllegalArgumentException(path + " is the node's own network namespace, not a pod's");
        }
        return ns;
    }
}
