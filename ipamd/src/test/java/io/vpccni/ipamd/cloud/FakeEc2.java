package io.vpccni.ipamd.cloud;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stateful EC2 for one instance's ENIs, in memory, with scripted failures: enough of EC2's rules (attachment
 * limit, one ENI per device index, detach before delete, unassign only what is assigned) that a lifecycle bug
 * shows as a wrong state here. It lives in the cloud package because only it may build {@link CloudException}s.
 */
public final class FakeEc2 implements Ec2Api {
    /** How the next call of an action fails. */
    public enum Fault {
        /** RequestLimitExceeded: EC2 did nothing. */
        THROTTLED,
        /** An error code for a request EC2 refused: EC2 did nothing. */
        REFUSED,
        /** EC2 carried the call out, but its answer never arrived (a read timeout): the caller cannot know. */
        ANSWER_LOST,
        /** Something the client did not expect, thrown as a RuntimeException before EC2 saw the call. */
        UNEXPECTED
    }

    /** One ENI as this fake keeps it. */
    public static final class Eni {
        final String id;
        final String mac;
        final String primaryIp;
        final List<String> secondaryIps = new ArrayList<>();
        final List<String> prefixes = new ArrayList<>();
        final Map<String, String> tags = new HashMap<>();
        final String description;
        final InterfaceType type;
        String attachmentId;
        String vpcId = "vpc-1";
        int device;
        int card;

        Eni(String id, String mac, String primaryIp, String description, InterfaceType type) {
            this.id = id;
            this.mac = mac;
            this.primaryIp = primaryIp;
            this.description = description;
            this.type = type;
        }

        NetworkInterface snapshot(String instanceId) {
            var attachment = attachmentId == null ? Optional.<NetworkInterface.Attachment>empty()
                    : Optional.of(new NetworkInterface.Attachment(attachmentId, instanceId, device, card, "attached", true));
            return new NetworkInterface(id, mac, SUBNET, vpcId, primaryIp, secondaryIps, prefixes, attachment,
                    attachmentId == null ? "available" : "in-use", description, tags, type);
        }
    }

    public static final String SUBNET = "subnet-1";
    public static final String SUBNET_CIDR = "10.0.0.0/16";

    private final String instanceId;
    private final int maxEnis;
    private final Map<String, Eni> enis = new LinkedHashMap<>();
    private final Map<String, Deque<Fault>> faults = new HashMap<>();
    private final Map<String, Runnable> hooks = new HashMap<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private int nextAddress = (10 << 24) | (1 << 8) | 10;  // 10.0.1.10
    private int nextPrefix = (10 << 24) | (128 << 8);       // 10.0.128.0/28
    private int nextId;

    /** An instance with its primary ENI attached at device 0, and room for {@code maxEnis} ENIs in all. */
    public FakeEc2(String instanceId, int maxEnis) {
        this.instanceId = instanceId;
        this.maxEnis = maxEnis;
        attachNew(InterfaceType.INTERFACE, 0, 0, Map.of(), "primary");
    }

    // ---- the test's hands

    public synchronized String primaryEniId() {
        return enis.values().iterator().next().id;
    }

    /** Someone else attaches an ENI (another controller, an operator): {@code type} at {@code device} on {@code card}. */
    public synchronized String attachNew(InterfaceType type, int device, int card, Map<String, String> tags, String description) {
        var eni = newEni(description, type);
        eni.tags.putAll(tags);
        eni.attachmentId = "eni-attach-" + eni.id.substring(4);
        eni.device = device;
        eni.card = card;
        return eni.id;
    }

    /**
     * An unattached ENI as another node (live, or terminated since) or another cluster left it in {@code vpcId}:
     * what a cluster-wide leak sweep finds.
     */
    public synchronized String addAvailable(String description, Map<String, String> tags, String vpcId) {
        var eni = newEni(description, InterfaceType.INTERFACE);
        eni.tags.putAll(tags);
        eni.vpcId = vpcId;
        return eni.id;
    }

    public synchronized void failNext(String api, Fault fault) {
        faults.computeIfAbsent(api, k -> new ArrayDeque<>()).add(fault);
    }

    /** Every call of {@code api} fails so until {@link #heal}. */
    public synchronized void failAlways(String api, Fault fault) {
        var q = faults.computeIfAbsent(api, k -> new ArrayDeque<>());
        q.clear();
        for (var i = 0; i < 10_000; i++) {
            q.add(fault);
        }
    }

    public synchronized void heal(String api) {
        faults.remove(api);
    }

    /** Runs {@code hook} when {@code api} is called, before EC2 acts: what happens on the node meanwhile. */
    public synchronized void during(String api, Runnable hook) {
        hooks.put(api, hook);
    }

    /** Every call so far, as {@code "Action object"}. */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    public long callsOf(String api) {
        return calls.stream().filter(c -> c.startsWith(api + " ")).count();
    }

    /** The filtered DescribeNetworkInterfaces calls so far that had a filter named {@code filterName}. */
    public long findsWithFilter(String filterName) {
        return calls.stream().filter(c -> c.startsWith("DescribeNetworkInterfaces [") && c.contains("Filter[name=" + filterName + ",")).count();
    }

    public synchronized boolean exists(String eniId) {
        return enis.containsKey(eniId);
    }

    public synchronized boolean attached(String eniId) {
        return enis.containsKey(eniId) && enis.get(eniId).attachmentId != null;
    }

    public synchronized List<String> eniIds() {
        return List.copyOf(enis.keySet());
    }

    public synchronized List<String> secondaryIps(String eniId) {
        return List.copyOf(enis.get(eniId).secondaryIps);
    }

    public synchronized List<String> prefixes(String eniId) {
        return List.copyOf(enis.get(eniId).prefixes);
    }

    /** Gives the ENI more addresses behind the node's back, e.g. one the node already holds elsewhere. */
    public synchronized void addSecondaryIp(String eniId, String ip) {
        enis.get(eniId).secondaryIps.add(ip);
    }

    synchronized List<Eni> attachedEnis() {
        return enis.values().stream().filter(e -> e.attachmentId != null).toList();
    }

    synchronized Eni byMac(String mac) {
        return enis.values().stream().filter(e -> e.mac.equalsIgnoreCase(mac)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no ENI with MAC " + mac));
    }

    String instanceId() {
        return instanceId;
    }

    // ---- EC2

    @Override
    public NetworkInterface createNetworkInterface(CreateEniRequest request) throws CloudException {
        var fault = enter("CreateNetworkInterface", request.subnetId());
        NetworkInterface created;
        synchronized (this) {
            var eni = newEni(request.description(), InterfaceType.INTERFACE);
            eni.tags.putAll(request.tags());
            for (var i = 0; i < request.secondaryIpCount(); i++) {
                eni.secondaryIps.add(address());
            }
            for (var i = 0; i < request.prefixCount(); i++) {
                eni.prefixes.add(prefix());
            }
            created = eni.snapshot(instanceId);
        }
        return answer("CreateNetworkInterface", request.subnetId(), fault, created);
    }

    @Override
    public String attach(String eniId, String instance, int deviceIndex, int networkCard) throws CloudException {
        var fault = enter("AttachNetworkInterface", eniId);
        String attachmentId;
        synchronized (this) {
            var eni = eni("AttachNetworkInterface", eniId);
            if (eni.attachmentId != null) {
                throw error("AttachNetworkInterface", eniId, "InvalidNetworkInterface.InUse");
            }
            if (attachedEnis().size() >= maxEnis) {
                throw error("AttachNetworkInterface", eniId, "AttachmentLimitExceeded");
            }
            if (attachedEnis().stream().anyMatch(e -> e.card == networkCard && e.device == deviceIndex)) {
                throw error("AttachNetworkInterface", eniId, "InvalidParameterValue");
            }
            eni.attachmentId = "eni-attach-" + eniId.substring(4);
            eni.device = deviceIndex;
            eni.card = networkCard;
            attachmentId = eni.attachmentId;
        }
        return answer("AttachNetworkInterface", eniId, fault, attachmentId);
    }

    @Override
    public void setDeleteOnTermination(String eniId, String attachmentId, boolean deleteOnTermination) throws CloudException {
        var fault = enter("ModifyNetworkInterfaceAttribute", eniId);
        synchronized (this) {
            eni("ModifyNetworkInterfaceAttribute", eniId);
        }
        answer("ModifyNetworkInterfaceAttribute", eniId, fault, null);
    }

    @Override
    public List<NetworkInterface> describeNetworkInterfaces(List<String> eniIds) throws CloudException {
        var fault = enter("DescribeNetworkInterfaces", String.join(",", eniIds));
        List<NetworkInterface> out;
        synchronized (this) {
            var found = new ArrayList<NetworkInterface>();
            for (var id : eniIds) {
                found.add(eni("DescribeNetworkInterfaces", id).snapshot(instanceId));
            }
            out = found;
        }
        return answer("DescribeNetworkInterfaces", "", fault, out);
    }

    @Override
    public List<NetworkInterface> findNetworkInterfaces(List<Filter> filters) throws CloudException {
        var fault = enter("DescribeNetworkInterfaces", filters.toString());
        List<NetworkInterface> out;
        synchronized (this) {
            out = enis.values().stream().map(e -> e.snapshot(instanceId)).filter(n -> filters.stream().allMatch(f -> matches(n, f))).toList();
        }
        return answer("DescribeNetworkInterfaces", "", fault, out);
    }

    private static boolean matches(NetworkInterface n, Filter f) {
        if (f.name().startsWith("tag:")) {
            var value = n.tags().get(f.name().substring(4));  // List.of(...).contains(null) throws
            return value != null && f.values().contains(value);
        }
        return switch (f.name()) {
            case "status" -> f.values().contains(n.status());
            case "attachment.instance-id" -> n.attachment().map(a -> f.values().contains(a.instanceId())).orElse(false);
            case "tag-key" -> f.values().stream().anyMatch(n.tags()::containsKey);
            case "vpc-id" -> f.values().contains(n.vpcId());
            default -> throw new UnsupportedOperationException("filter " + f.name());
        };
    }

    @Override
    public List<String> assignPrivateIps(String eniId, int count) throws CloudException {
        var fault = enter("AssignPrivateIpAddresses", eniId);
        var added = new ArrayList<String>();
        synchronized (this) {
            var eni = eni("AssignPrivateIpAddresses", eniId);
            for (var i = 0; i < count; i++) {
                added.add(address());
            }
            eni.secondaryIps.addAll(added);
        }
        return answer("AssignPrivateIpAddresses", eniId, fault, added);
    }

    @Override
    public List<String> assignPrefixes(String eniId, int count) throws CloudException {
        var fault = enter("AssignPrivateIpAddresses", eniId);
        var added = new ArrayList<String>();
        synchronized (this) {
            var eni = eni("AssignPrivateIpAddresses", eniId);
            for (var i = 0; i < count; i++) {
                added.add(prefix());
            }
            eni.prefixes.addAll(added);
        }
        return answer("AssignPrivateIpAddresses", eniId, fault, added);
    }

    @Override
    public void unassignPrivateIps(String eniId, List<String> ips) throws CloudException {
        unassign(eniId, ips, false);
    }

    @Override
    public void unassignPrefixes(String eniId, List<String> prefixes) throws CloudException {
        unassign(eniId, prefixes, true);
    }

    private void unassign(String eniId, List<String> what, boolean prefixes) throws CloudException {
        var fault = enter("UnassignPrivateIpAddresses", eniId);
        synchronized (this) {
            var eni = eni("UnassignPrivateIpAddresses", eniId);
            var held = prefixes ? eni.prefixes : eni.secondaryIps;
            if (!held.containsAll(what)) {
                throw error("UnassignPrivateIpAddresses", eniId, "InvalidParameterValue");
            }
            held.removeAll(what);
        }
        answer("UnassignPrivateIpAddresses", eniId, fault, null);
    }

    @Override
    public void detach(String attachmentId, boolean force) throws CloudException {
        var fault = enter("DetachNetworkInterface", attachmentId);
        synchronized (this) {
            var eni = enis.values().stream().filter(e -> attachmentId.equals(e.attachmentId)).findFirst()
                    .orElseThrow(() -> error("DetachNetworkInterface", attachmentId, "InvalidAttachmentID.NotFound"));
            if (eni.device == 0 && eni.card == 0) {
                throw error("DetachNetworkInterface", attachmentId, "OperationNotPermitted");
            }
            eni.attachmentId = null;
        }
        answer("DetachNetworkInterface", attachmentId, fault, null);
    }

    @Override
    public void delete(String eniId) throws CloudException {
        var fault = enter("DeleteNetworkInterface", eniId);
        synchronized (this) {
            var eni = eni("DeleteNetworkInterface", eniId);
            if (eni.attachmentId != null) {
                throw error("DeleteNetworkInterface", eniId, "InvalidParameterValue");
            }
            enis.remove(eniId);
        }
        answer("DeleteNetworkInterface", eniId, fault, null);
    }

    @Override
    public Instance describeInstance(String id) throws CloudException {
        var fault = enter("DescribeInstances", id);
        Instance instance;
        synchronized (this) {
            instance = new Instance(instanceId, "m5.large", SUBNET, "vpc-1", attachedEnis().stream()
                    .map(e -> new Instance.AttachedEni(e.id, e.attachmentId, e.device, e.card, e.type)).toList());
        }
        return answer("DescribeInstances", id, fault, instance);
    }

    @Override
    public List<Subnet> describeSubnets(List<String> subnetIds) {
        throw new UnsupportedOperationException("DescribeSubnets");
    }

    @Override
    public List<Subnet> findSubnets(List<Filter> filters) {
        throw new UnsupportedOperationException("DescribeSubnets");
    }

    @Override
    public InstanceTypeInfo describeInstanceType(String instanceType) {
        throw new UnsupportedOperationException("DescribeInstanceTypes");
    }

    @Override
    public void createTags(List<String> resourceIds, Map<String, String> tags) throws CloudException {
        var fault = enter("CreateTags", String.join(",", resourceIds));
        synchronized (this) {
            for (var id : resourceIds) {
                eni("CreateTags", id).tags.putAll(tags);
            }
        }
        answer("CreateTags", "", fault, null);
    }

    // ---- internals

    /** Records the call, runs its hook, and fails now or marks the answer as lost. */
    private Fault enter(String api, String object) throws CloudException {
        calls.add(api + " " + object);
        Runnable hook;
        Fault fault;
        synchronized (this) {
            hook = hooks.get(api);
            var q = faults.get(api);
            fault = q == null ? null : q.poll();
        }
        if (hook != null) {
            hook.run();
        }
        if (fault == null || fault == Fault.ANSWER_LOST) {
            return fault;
        }
        switch (fault) {
            case THROTTLED -> throw CloudException.of(api, object, "RequestLimitExceeded", "req-1", "Request limit exceeded.", true, null);
            case REFUSED -> throw CloudException.of(api, object, "InvalidParameterValue", "req-1", "refused by the test", false, null);
            default -> throw new IllegalArgumentException("unexpected failure of " + api + " injected by the test");
        }
    }

    private static <T> T answer(String api, String object, Fault fault, T result) throws CloudException {
        if (fault == Fault.ANSWER_LOST) {
            throw CloudException.of(api, object, null, null, "Read timed out", true, null);
        }
        return result;
    }

    private Eni eni(String api, String id) throws CloudException {
        var eni = enis.get(id);
        if (eni == null) {
            throw error(api, id, "InvalidNetworkInterfaceID.NotFound");
        }
        return eni;
    }

    private static CloudException error(String api, String object, String code) {
        return CloudException.of(api, object, code, "req-1", code + " (fake EC2)", false, null);
    }

    private Eni newEni(String description, InterfaceType type) {
        var n = ++nextId;
        var eni = new Eni(String.format(Locale.ROOT, "eni-%017x", n), String.format(Locale.ROOT, "02:00:00:00:%02x:%02x", n >> 8, n & 0xff),
                address(), description, type);
        enis.put(eni.id, eni);
        return eni;
    }

    private String address() {
        return dotted(nextAddress++);
    }

    private String prefix() {
        var p = dotted(nextPrefix) + "/28";
        nextPrefix += 16;
        return p;
    }

    private static String dotted(int a) {
        return (a >>> 24) + "." + ((a >> 16) & 0xff) + "." + ((a >> 8) & 0xff) + "." + (a & 0xff);
    }
}
