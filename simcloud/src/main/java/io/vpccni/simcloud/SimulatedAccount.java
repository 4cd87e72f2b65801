package io.vpccni.simcloud;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The EC2 state of one AWS account with one VPC: subnets with real address accounting, security groups,
 * instances and ENIs. Several simulated nodes share one account, so every operation runs under one lock;
 * listeners are called after it is released so that slow netns work never blocks other API calls.
 */
public final class SimulatedAccount {
    /** EC2's hard ceiling on IPv4 addresses of one ENI, used while an ENI is unattached. */
    private static final int MAX_IPV4_PER_UNATTACHED_ENI = 50;

    /**
     * What {@link #createNetworkInterface} needs; counts of 0 mean "none". {@code interfaceType} is EC2's
     * {@code InterfaceType} ({@code interface}, {@code trunk}, {@code efa}, {@code efa-only}, {@code branch});
     * the simulator gives every type a primary address.
     */
    public record CreateEni(String subnetId, List<String> securityGroupIds, String description,
                            int secondaryIpCount, int prefixCount, Map<String, String> tags, String interfaceType) {
        public CreateEni(String subnetId, List<String> securityGroupIds, String description, int secondaryIpCount,
                         int prefixCount, Map<String, String> tags) {
            this(subnetId, securityGroupIds, description, secondaryIpCount, prefixCount, tags, "interface");
        }
    }

    /** What one AssignPrivateIpAddresses call added. */
    public record Assigned(String eniId, List<String> ips, List<String> prefixes) {}

    private final String accountId;
    private final String vpcId;
    private final InstantSource clock;
    private final Random random;
    private final Object lock = new Object();
    private final List<Cidr> vpcCidrs = new ArrayList<>();
    private final Map<String, SubnetState> subnets = new LinkedHashMap<>();
    private final Map<String, String> securityGroups = new LinkedHashMap<>(); // id → name
    private final Map<String, InstanceState> instances = new LinkedHashMap<>();
    private final Map<String, EniState> enis = new LinkedHashMap<>();
    private final List<AttachmentListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();
    private final Operator operator = new Operator(this);
    private final String defaultSecurityGroupId;

    public SimulatedAccount(String accountId, String vpcCidr, InstantSource clock, long seed) {
        this.accountId = accountId;
        this.clock = clock;
        this.random = new Random(seed);
        this.vpcId = "vpc-" + hex17();
        this.vpcCidrs.add(Cidr.parse(vpcCidr));
        this.defaultSecurityGroupId = createSecurityGroup("default");
    }

    public SimulatedAccount(String accountId, String vpcCidr) {
        this(accountId, vpcCidr, InstantSource.system(), 42);
    }

    public String accountId() { return accountId; }

    public String vpcId() { return vpcId; }

    public InstantSource clock() { return clock; }

    public String defaultSecurityGroupId() { return defaultSecurityGroupId; }

    public void addListener(AttachmentListener listener) { listeners.add(listener); }

    /**
     * Runs {@code listener} after every change to the account's state (by the API or by {@link #operator()}), after
     * the lock is released, on the thread that made the change: e.g. IMDS keeping a history to answer with a lag.
     */
    public void addChangeListener(Runnable listener) { changeListeners.add(listener); }

    public void removeChangeListener(Runnable listener) { changeListeners.remove(listener); }

    /** Changes made behind the daemon's back: by a human in the console, another controller, EC2 itself. */
    public Operator operator() { return operator; }

    public List<Cidr> vpcCidrs() {
        synchronized (lock) { return List.copyOf(vpcCidrs); }
    }

    public void addVpcCidr(String cidr) {
        synchronized (lock) { vpcCidrs.add(Cidr.parse(cidr)); }
        changed();
    }

    // ---- set-up (not EC2 actions the CNI calls) ----

    public String createSubnet(String cidr, String availabilityZone) {
        return createSubnet(cidr, availabilityZone, Map.of());
    }

    /**
     * A subnet of the VPC in {@code availabilityZone} (named like real zones, e.g. {@code us-west-2b}; an instance is
     * in its subnet's zone, and ENIs attach only to instances of their own zone), with {@code tags}.
     */
    public String createSubnet(String cidr, String availabilityZone, Map<String, String> tags) {
        if (availabilityZone == null || availabilityZone.isBlank()) {
            throw new IllegalArgumentException("a subnet needs an availability zone, e.g. us-west-2a");
        }
        var block = Cidr.parse(cidr);
        String id;
        synchronized (lock) {
            if (vpcCidrs.stream().noneMatch(v -> v.contains(block))) {
                throw new Ec2Error("InvalidSubnet.Range", "The CIDR '" + cidr + "' is invalid for VPC " + vpcId + ".");
            }
            for (var s : subnets.values()) {
                if (s.space.cidr().contains(block.base()) || block.contains(s.space.cidr().base())) {
                    throw new Ec2Error("InvalidSubnet.Conflict", "The CIDR '" + cidr + "' conflicts with subnet " + s.id + ".");
                }
            }
            var s = new SubnetState("subnet-" + hex17(), availabilityZone, new AddressSpace(block));
            s.tags.putAll(tags);
            subnets.put(s.id, s);
            id = s.id;
        }
        changed();
        return id;
    }

    public String createSecurityGroup(String name) {
        synchronized (lock) {
            String id = "sg-" + hex17();
            securityGroups.put(id, name);
            return id;
        }
    }

    /** Starts an instance with its primary ENI at device index 0 (deleted on termination, as EC2 does). */
    public String launchInstance(String typeName, String subnetId, List<String> securityGroupIds) {
        var type = InstanceType.find(typeName).orElseThrow(() -> new Ec2Error("InvalidInstanceType",
                "The instance type '" + typeName + "' is not supported by the simulator."));
        var events = new ArrayList<Runnable>();
        String instanceId;
        synchronized (lock) {
            var subnet = subnet0(subnetId);
            var groups = groups0(securityGroupIds);
            instanceId = "i-" + hex17();
            var instance = new InstanceState(instanceId, type, subnet, groups);
            instances.put(instanceId, instance);
            var eni = newEni0(subnet, groups, "", Map.of(), "interface");
            attach0(eni, instance, 0, 0, true, events);
        }
        events.forEach(Runnable::run);
        changed();
        return instanceId;
    }

    /** Deletes ENIs marked delete-on-termination and detaches the others, as EC2 does. */
    public void terminateInstance(String instanceId) {
        var events = new ArrayList<Runnable>();
        synchronized (lock) {
            var instance = instance0(instanceId);
            for (var eni : List.copyOf(instance.enis.values())) {
                boolean delete = eni.attachment.deleteOnTermination();
                detach0(eni, events);
                if (delete) delete0(eni);
            }
            instances.remove(instanceId);
        }
        events.forEach(Runnable::run);
        changed();
    }

    // ---- EC2 actions ----

    public NetworkInterface createNetworkInterface(CreateEni request) {
        if (request.secondaryIpCount() > 0 && request.prefixCount() > 0) {
            throw new Ec2Error("InvalidParameterCombination",
                    "SecondaryPrivateIpAddressCount and Ipv4PrefixCount cannot both be specified.");
        }
        NetworkInterface created;
        synchronized (lock) {
            var subnet = subnet0(request.subnetId());
            var groups = request.securityGroupIds().isEmpty() ? List.of(defaultSecurityGroupId) : groups0(request.securityGroupIds());
            checkLimit0(null, 1 + request.secondaryIpCount() + request.prefixCount());
            // Check space before taking anything, so a failed create leaves the subnet untouched.
            if (subnet.space.available() < 1 + request.secondaryIpCount()) throw insufficientAddresses(subnet);
            var eni = newEni0(subnet, groups, request.description() == null ? "" : request.description(), request.tags(),
                    request.interfaceType() == null ? "interface" : request.interfaceType());
            try {
                assignCount0(eni, request.secondaryIpCount(), new ArrayList<>());
                assignPrefixes0(eni, request.prefixCount(), new ArrayList<>());
            } catch (Ec2Error e) {
                delete0(eni);
                throw e;
            }
            created = eni.snapshot();
        }
        changed();
        return created;
    }

    public String attachNetworkInterface(String eniId, String instanceId, int deviceIndex, int networkCardIndex) {
        var events = new ArrayList<Runnable>();
        String attachmentId;
        synchronized (lock) {
            var eni = eni0(eniId);
            var instance = instance0(instanceId);
            if (eni.attachment != null) {
                throw new Ec2Error("InvalidNetworkInterface.InUse", "Interface: '" + eniId + "' in use.");
            }
            if (!eni.subnet.az.equals(instance.subnet.az)) {
                throw new Ec2Error("InvalidParameterCombination", "You may not attach a network interface to an instance if they "
                        + "are not in the same availability zone (" + eniId + " is in " + eni.subnet.az + ", " + instanceId
                        + " in " + instance.subnet.az + ").");
            }
            if (networkCardIndex < 0 || networkCardIndex >= instance.type.networkCards()) {
                throw new Ec2Error("InvalidParameterValue", "Network card index " + networkCardIndex
                        + " is not valid for instance type " + instance.type.name() + ".");
            }
            if (instance.enis.size() >= instance.type.maxEnis()) {
                throw new Ec2Error("AttachmentLimitExceeded", "Interface count " + (instance.enis.size() + 1)
                        + " exceeds the limit for " + instance.type.name() + ".");
            }
            if (instance.enis.values().stream().anyMatch(e -> e.attachment.deviceIndex() == deviceIndex)) {
                throw new Ec2Error("InvalidParameterValue", "Instance '" + instanceId
                        + "' already has an interface attached at device index '" + deviceIndex + "'.");
            }
            int count = eni.ipv4Count();
            if (count > instance.type.ipv4PerEni()) {
                throw new Ec2Error("PrivateIpAddressLimitExceeded", "Interface " + eniId + " has " + count
                        + " IPv4 addresses and prefixes; " + instance.type.name() + " allows " + instance.type.ipv4PerEni() + ".");
            }
            attachmentId = attach0(eni, instance, deviceIndex, networkCardIndex, false, events);
        }
        events.forEach(Runnable::run);
        changed();
        return attachmentId;
    }

    public void setDeleteOnTermination(String eniId, String attachmentId, boolean deleteOnTermination) {
        synchronized (lock) {
            var eni = eni0(eniId);
            if (eni.attachment == null || !eni.attachment.id().equals(attachmentId)) {
                throw new Ec2Error("InvalidAttachmentID.NotFound",
                        "The attachment ID '" + attachmentId + "' does not exist for " + eniId + ".");
            }
            var a = eni.attachment;
            eni.attachment = new NetworkInterface.Attachment(a.id(), a.instanceId(), a.deviceIndex(),
                    a.networkCardIndex(), deleteOnTermination, a.attachTime());
        }
        changed();
    }

    /** ModifyNetworkInterfaceAttribute with {@code SecurityGroupId.N}: replaces the ENI's groups. */
    public void setSecurityGroups(String eniId, List<String> securityGroupIds) {
        synchronized (lock) {
            var eni = eni0(eniId);
            eni.groups = groups0(securityGroupIds);
        }
        changed();
    }

    public Assigned assignPrivateIps(String eniId, int count, List<String> specific, int prefixCount) {
        int kinds = (count > 0 ? 1 : 0) + (specific.isEmpty() ? 0 : 1) + (prefixCount > 0 ? 1 : 0);
        if (kinds != 1) {
            throw new Ec2Error("InvalidParameterCombination", "Specify exactly one of SecondaryPrivateIpAddressCount, "
                    + "PrivateIpAddress.N or Ipv4PrefixCount.");
        }
        Assigned assigned;
        synchronized (lock) {
            var eni = eni0(eniId);
            checkLimit0(eni, eni.ipv4Count() + count + specific.size() + prefixCount);
            var ips = new ArrayList<String>();
            var prefixes = new ArrayList<String>();
            if (!specific.isEmpty()) assignSpecific0(eni, specific, ips);
            else if (count > 0) {
                if (eni.subnet.space.available() < count) throw insufficientAddresses(eni.subnet);
                assignCount0(eni, count, ips);
            } else assignPrefixes0(eni, prefixCount, prefixes);
            assigned = new Assigned(eniId, List.copyOf(ips), List.copyOf(prefixes));
        }
        changed();
        return assigned;
    }

    public void unassignPrivateIps(String eniId, List<String> ips, List<String> prefixes) {
        synchronized (lock) {
            var eni = eni0(eniId);
            for (String ip : ips) {
                if (ip.equals(eni.primaryIp)) {
                    throw new Ec2Error("InvalidParameterValue", "The primary IP address " + ip + " of " + eniId + " cannot be unassigned.");
                }
                if (!eni.secondaryIps.contains(ip)) {
                    throw new Ec2Error("InvalidParameterValue", "Some of the specified addresses are not assigned to interface " + eniId + ": " + ip);
                }
            }
            for (String p : prefixes) {
                if (!eni.prefixes.contains(p)) {
                    throw new Ec2Error("InvalidParameterValue", "Some of the specified prefixes are not assigned to interface " + eniId + ": " + p);
                }
            }
            for (String ip : ips) {
                eni.secondaryIps.remove(ip);
                eni.subnet.space.releaseAddress(Cidr.parseAddress(ip));
            }
            for (String p : prefixes) {
                eni.prefixes.remove(p);
                eni.subnet.space.releasePrefix(Cidr.parse(p));
            }
        }
        changed();
    }

    /** Detaching is immediate here; EC2 passes through "detaching", which callers poll past anyway. */
    public void detachNetworkInterface(String attachmentId, boolean force) {
        var events = new ArrayList<Runnable>();
        synchronized (lock) {
            var eni = enis.values().stream()
                    .filter(e -> e.attachment != null && e.attachment.id().equals(attachmentId))
                    .findFirst()
                    .orElseThrow(() -> new Ec2Error("InvalidAttachmentID.NotFound",
                            "The attachment ID '" + attachmentId + "' does not exist."));
            if (eni.attachment.deviceIndex() == 0) {
                throw new Ec2Error("OperationNotPermitted", "The network interface at device index 0 cannot be detached.");
            }
            detach0(eni, events);
        }
        events.forEach(Runnable::run);
        changed();
    }

    public void deleteNetworkInterface(String eniId) {
        synchronized (lock) {
            var eni = eni0(eniId);
            if (eni.attachment != null) {
                throw new Ec2Error("InvalidParameterValue", "Network interface '" + eniId + "' is currently in use.");
            }
            delete0(eni);
        }
        changed();
    }

    public void createTags(List<String> resourceIds, Map<String, String> tags) {
        synchronized (lock) {
            var targets = new ArrayList<Map<String, String>>();
            for (String id : resourceIds) targets.add(tagsOf0(id));
            targets.forEach(t -> t.putAll(tags)); // all or nothing: resolve every ID before tagging any
        }
        changed();
    }

    // ---- reads ----

    public NetworkInterface networkInterface(String eniId) {
        synchronized (lock) { return eni0(eniId).snapshot(); }
    }

    public List<NetworkInterface> networkInterfaces() {
        synchronized (lock) { return enis.values().stream().map(EniState::snapshot).toList(); }
    }

    public Instance instance(String instanceId) {
        synchronized (lock) { return instance0(instanceId).snapshot(); }
    }

    public List<Instance> instances() {
        synchronized (lock) { return instances.values().stream().map(InstanceState::snapshot).toList(); }
    }

    public Subnet subnet(String subnetId) {
        synchronized (lock) { return subnet0(subnetId).snapshot(); }
    }

    public List<Subnet> subnets() {
        synchronized (lock) { return subnets.values().stream().map(SubnetState::snapshot).toList(); }
    }

    private void changed() {
        changeListeners.forEach(Runnable::run);
    }

    // ---- internals; callers hold the lock ----

    private EniState newEni0(SubnetState subnet, List<String> groups, String description, Map<String, String> tags,
                             String interfaceType) {
        if (!java.util.Set.of("interface", "trunk", "branch", "efa", "efa-only").contains(interfaceType)) {
            throw new Ec2Error("InvalidParameterValue", "Value (" + interfaceType + ") for parameter interfaceType is invalid.");
        }
        long address = subnet.space.allocateAddress();
        if (address < 0) throw insufficientAddresses(subnet);
        var eni = new EniState("eni-" + hex17(), subnet, newMac0(), Cidr.formatAddress(address), groups, description,
                interfaceType);
        eni.tags.putAll(tags);
        enis.put(eni.id, eni);
        return eni;
    }

    private String attach0(EniState eni, InstanceState instance, int deviceIndex, int card, boolean dot, List<Runnable> events) {
        eni.attachment = new NetworkInterface.Attachment("eni-attach-" + hex17(), instance.id, deviceIndex, card, dot, clock.instant());
        instance.enis.put(eni.id, eni);
        var snapshot = eni.snapshot();
        listeners.forEach(l -> events.add(() -> l.attached(instance.id, snapshot)));
        return eni.attachment.id();
    }

    private void detach0(EniState eni, List<Runnable> events) {
        var instance = instances.get(eni.attachment.instanceId());
        instance.enis.remove(eni.id);
        var before = eni.snapshot();
        eni.attachment = null;
        listeners.forEach(l -> events.add(() -> l.detached(instance.id, before)));
    }

    private void delete0(EniState eni) {
        eni.subnet.space.releaseAddress(Cidr.parseAddress(eni.primaryIp));
        eni.secondaryIps.forEach(ip -> eni.subnet.space.releaseAddress(Cidr.parseAddress(ip)));
        eni.prefixes.forEach(p -> eni.subnet.space.releasePrefix(Cidr.parse(p)));
        enis.remove(eni.id);
    }

    private void assignCount0(EniState eni, int count, List<String> added) {
        for (int i = 0; i < count; i++) {
            long address = eni.subnet.space.allocateAddress();
            if (address < 0) throw insufficientAddresses(eni.subnet); // unreachable after the up-front check
            String ip = Cidr.formatAddress(address);
            eni.secondaryIps.add(ip);
            added.add(ip);
        }
    }

    private void assignSpecific0(EniState eni, List<String> ips, List<String> added) {
        for (String ip : ips) {
            long address;
            try {
                address = Cidr.parseAddress(ip);
            } catch (IllegalArgumentException e) {
                throw new Ec2Error("InvalidParameterValue", "Invalid IPv4 address: " + ip);
            }
            if (!eni.subnet.space.isUsable(address)) {
                throw new Ec2Error("InvalidParameterValue", "Address " + ip + " does not fall within the usable range of subnet "
                        + eni.subnet.id + " (" + eni.subnet.space.cidr() + ").");
            }
        }
        for (String ip : ips) {
            if (!eni.subnet.space.claimAddress(Cidr.parseAddress(ip))) {
                added.forEach(a -> { eni.secondaryIps.remove(a); eni.subnet.space.releaseAddress(Cidr.parseAddress(a)); });
                throw new Ec2Error("InvalidIPAddress.InUse", "Address " + ip + " is in use in subnet " + eni.subnet.id + ".");
            }
            eni.secondaryIps.add(ip);
            added.add(ip);
        }
    }

    private void assignPrefixes0(EniState eni, int count, List<String> added) {
        for (int i = 0; i < count; i++) {
            var prefix = eni.subnet.space.allocatePrefix();
            if (prefix == null) {
                added.forEach(p -> { eni.prefixes.remove(p); eni.subnet.space.releasePrefix(Cidr.parse(p)); });
                throw new Ec2Error("InsufficientCidrBlocks", "The specified subnet " + eni.subnet.id
                        + " does not have enough free cidr blocks to satisfy the request.");
            }
            eni.prefixes.add(prefix.toString());
            added.add(prefix.toString());
        }
    }

    /** Each /28 prefix takes one of the ENI's IPv4 slots, as on Nitro instances. */
    private void checkLimit0(EniState eni, int wanted) {
        int limit = eni == null || eni.attachment == null
                ? MAX_IPV4_PER_UNATTACHED_ENI
                : instances.get(eni.attachment.instanceId()).type.ipv4PerEni();
        if (wanted > limit) {
            throw new Ec2Error("PrivateIpAddressLimitExceeded", "Number of private addresses will exceed limit: "
                    + wanted + " requested" + (eni == null ? "" : " on " + eni.id) + ", limit " + limit + ".");
        }
    }

    private Map<String, String> tagsOf0(String id) {
        if (id.startsWith("eni-")) return eni0(id).tags;
        if (id.startsWith("subnet-")) return subnet0(id).tags;
        if (id.startsWith("i-")) return instance0(id).tags;
        throw new Ec2Error("InvalidID", "The ID '" + id + "' is not valid or not taggable in the simulator.");
    }

    private EniState eni0(String id) {
        if (id == null || !id.startsWith("eni-")) {
            throw new Ec2Error("InvalidNetworkInterfaceID.Malformed", "Invalid id: \"" + id + "\" (expecting \"eni-...\")");
        }
        var eni = enis.get(id);
        if (eni == null) throw new Ec2Error("InvalidNetworkInterfaceID.NotFound", "The networkInterface ID '" + id + "' does not exist");
        return eni;
    }

    private InstanceState instance0(String id) {
        var instance = instances.get(id);
        if (instance == null) throw new Ec2Error("InvalidInstanceID.NotFound", "The instance ID '" + id + "' does not exist");
        return instance;
    }

    private SubnetState subnet0(String id) {
        var subnet = id == null ? null : subnets.get(id);
        if (subnet == null) throw new Ec2Error("InvalidSubnetID.NotFound", "The subnet ID '" + id + "' does not exist");
        return subnet;
    }

    private List<String> groups0(List<String> ids) {
        for (String id : ids) {
            if (id == null || !id.matches("sg-[0-9a-f]{8,17}")) {
                throw new Ec2Error("InvalidGroupId.Malformed", "Invalid id: \"" + id + "\" (expecting \"sg-...\")");
            }
        }
        for (String id : ids) {
            if (!securityGroups.containsKey(id)) throw new Ec2Error("InvalidGroup.NotFound", "The security group '" + id + "' does not exist");
        }
        return List.copyOf(ids);
    }

    private static Ec2Error insufficientAddresses(SubnetState subnet) {
        return new Ec2Error("InsufficientFreeAddressesInSubnet", "The specified subnet " + subnet.id
                + " does not have enough free addresses to satisfy the request (" + subnet.space.available() + " free).");
    }

    private String hex17() {
        var sb = new StringBuilder(17);
        for (int i = 0; i < 17; i++) sb.append(Character.forDigit(random.nextInt(16), 16));
        return sb.toString();
    }

    private String newMac0() {
        while (true) {
            var sb = new StringBuilder("02"); // locally administered, unicast
            for (int i = 0; i < 5; i++) sb.append(':').append(String.format("%02x", random.nextInt(256)));
            String mac = sb.toString();
            if (enis.values().stream().noneMatch(e -> e.mac.equals(mac))) return mac;
        }
    }

    private final class SubnetState {
        final String id;
        final String az;
        final AddressSpace space;
        final Map<String, String> tags = new LinkedHashMap<>();

        SubnetState(String id, String az, AddressSpace space) {
            this.id = id;
            this.az = az;
            this.space = space;
        }

        Subnet snapshot() {
            return new Subnet(id, vpcId, space.cidr(), az, space.available(), Map.copyOf(tags));
        }
    }

    private final class InstanceState {
        final String id;
        final InstanceType type;
        final SubnetState subnet;
        final List<String> groups;
        final Map<String, EniState> enis = new LinkedHashMap<>();
        final Map<String, String> tags = new LinkedHashMap<>();

        InstanceState(String id, InstanceType type, SubnetState subnet, List<String> groups) {
            this.id = id;
            this.type = type;
            this.subnet = subnet;
            this.groups = groups;
        }

        Instance snapshot() {
            var list = enis.values().stream()
                    .sorted(java.util.Comparator.comparingInt((EniState e) -> e.attachment.networkCardIndex())
                            .thenComparingInt(e -> e.attachment.deviceIndex()))
                    .map(EniState::snapshot).toList();
            return new Instance(id, type, subnet.id, vpcId, subnet.az, groups, list);
        }
    }

    private final class EniState {
        final String id;
        final SubnetState subnet;
        final String mac;
        final String primaryIp;
        List<String> groups;
        final String description;
        final String interfaceType;
        final List<String> secondaryIps = new ArrayList<>();
        final List<String> prefixes = new ArrayList<>();
        final Map<String, String> tags = new LinkedHashMap<>();
        NetworkInterface.Attachment attachment;

        EniState(String id, SubnetState subnet, String mac, String primaryIp, List<String> groups, String description,
                 String interfaceType) {
            this.id = id;
            this.interfaceType = interfaceType;
            this.subnet = subnet;
            this.mac = mac;
            this.primaryIp = primaryIp;
            this.groups = groups;
            this.description = description;
        }

        int ipv4Count() {
            return 1 + secondaryIps.size() + prefixes.size();
        }

        NetworkInterface snapshot() {
            return new NetworkInterface(id, accountId, subnet.id, vpcId, subnet.az, description, mac, primaryIp,
                    List.copyOf(secondaryIps), List.copyOf(prefixes), groups,
                    java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags)),
                    java.util.Optional.ofNullable(attachment), interfaceType);
        }
    }
}
