package io.vpccni.ipamd.policy;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Built-in ENI and address limits for common instance types, so a node of one of them starts without an EC2
 * DescribeInstanceTypes call. Anything else is asked of a fallback (EC2) by {@link #lookup}.
 *
 * <p>Values are EC2's published "IP addresses per network interface per instance type" for network card 0.
 */
public final class InstanceLimitsTable {
    /** Per pod-network ENI, the primary address is the host's own; +2 covers aws-node and kube-proxy (host network). */
    private static final int HOST_NETWORK_PODS = 2;

    // instance type, ENIs, IPv4 addresses per ENI. t3a.small really has one ENI fewer than t3.small.
    private static final String TABLE = """
            t3.nano 2 2
            t3.micro 2 2
            t3.small 3 4
            t3.medium 3 6
            t3.large 3 12
            t3.xlarge 4 15
            t3.2xlarge 4 15
            t3a.nano 2 2
            t3a.micro 2 2
            t3a.small 2 4
            t3a.medium 3 6
            t3a.large 3 12
            t3a.xlarge 4 15
            t3a.2xlarge 4 15
            m5.large 3 10
            m5.xlarge 4 15
            m5.2xlarge 4 15
            m5.4xlarge 8 30
            m5.8xlarge 8 30
            m5.12xlarge 8 30
            m5.16xlarge 15 50
            m5.24xlarge 15 50
            m5a.large 3 10
            m5a.xlarge 4 15
            m5a.2xlarge 4 15
            m5a.4xlarge 8 30
            m5a.8xlarge 8 30
            m5a.12xlarge 8 30
            m5a.16xlarge 15 50
            m5a.24xlarge 15 50
            c5.large 3 10
            c5.xlarge 4 15
            c5.2xlarge 4 15
            c5.4xlarge 8 30
            c5.9xlarge 8 30
            c5.12xlarge 8 30
            c5.18xlarge 15 50
            c5.24xlarge 15 50
            r5.large 3 10
            r5.xlarge 4 15
            r5.2xlarge 4 15
            r5.4xlarge 8 30
            r5.8xlarge 8 30
            r5.12xlarge 8 30
            r5.16xlarge 15 50
            r5.24xlarge 15 50
            m6i.large 3 10
            m6i.xlarge 4 15
            m6i.2xlarge 4 15
            m6i.4xlarge 8 30
            m6i.8xlarge 8 30
            m6i.12xlarge 8 30
            m6i.16xlarge 15 50
            m6i.24xlarge 15 50
            m6i.32xlarge 15 50
            c6i.large 3 10
            c6i.xlarge 4 15
            c6i.2xlarge 4 15
            c6i.4xlarge 8 30
            c6i.8xlarge 8 30
            c6i.12xlarge 8 30
            c6i.16xlarge 15 50
            c6i.24xlarge 15 50
            c6i.32xlarge 15 50
            r6i.large 3 10
            r6i.xlarge 4 15
            r6i.2xlarge 4 15
            r6i.4xlarge 8 30
            r6i.8xlarge 8 30
            r6i.12xlarge 8 30
            r6i.16xlarge 15 50
            r6i.24xlarge 15 50
            r6i.32xlarge 15 50
            m7i.large 3 10
            m7i.xlarge 4 15
            m7i.2xlarge 4 15
            m7i.4xlarge 8 30
            m7i.8xlarge 8 30
            m7i.12xlarge 8 30
            m7i.16xlarge 15 50
            m7i.24xlarge 15 50
            m7i.48xlarge 15 50
            c7g.medium 2 4
            c7g.large 3 10
            c7g.xlarge 4 15
            c7g.2xlarge 4 15
            c7g.4xlarge 8 30
            c7g.8xlarge 8 30
            c7g.12xlarge 8 30
            c7g.16xlarge 15 50
            m7g.medium 2 4
            m7g.large 3 10
            m7g.xlarge 4 15
            m7g.2xlarge 4 15
            m7g.4xlarge 8 30
            m7g.8xlarge 8 30
            m7g.12xlarge 8 30
            m7g.16xlarge 15 50
            """;

    private static final Map<String, InstanceLimits> BY_TYPE = parse(TABLE);

    private InstanceLimitsTable() {
    }

    /** The built-in entry for {@code instanceType}, if there is one. */
    public static Optional<InstanceLimits> find(String instanceType) {
        return Optional.ofNullable(BY_TYPE.get(instanceType));
    }

    /** Every instance type in the built-in table, sorted. */
    public static Map<String, InstanceLimits> all() {
        return BY_TYPE;
    }

    /**
     * The limits of {@code instanceType}: the built-in entry, else whatever {@code fallback} (in the daemon, EC2
     * DescribeInstanceTypes) knows. The fallback is not called for a type in the table.
     */
    public static InstanceLimits lookup(String instanceType, Function<String, Optional<InstanceLimits>> fallback) {
        if (instanceType == null || instanceType.isBlank()) {
            throw new IllegalArgumentException("instance type must not be blank: IMDS meta-data/instance-type returned nothing");
        }
        Objects.requireNonNull(fallback, "fallback");
        var builtIn = find(instanceType);
        if (builtIn.isPresent()) {
            return builtIn.get();
        }
        return Objects.requireNonNull(fallback.apply(instanceType), "fallback returned null").orElseThrow(() ->
                new IllegalArgumentException("no ENI/IPv4 limits known for instance type '" + instanceType
                        + "': it is not in the built-in table and the EC2 lookup did not know it either; check the"
                        + " instance type and that the node role allows ec2:DescribeInstanceTypes"));
    }

    /**
     * Upstream's eni-max-pods formula: every ENI's addresses but its primary, plus the host-network pods that need
     * no pod address. The daemon uses it when the API server cannot tell it the node's capacity.
     */
    public static int maxPods(InstanceLimits limits) {
        return limits.maxEnis() * (limits.ipv4PerEni() - 1) + HOST_NETWORK_PODS;
    }

    private static Map<String, InstanceLimits> parse(String table) {
        var byType = new TreeMap<String, InstanceLimits>();
        table.lines().map(String::strip).filter(line -> !line.isEmpty()).forEach(line -> {
            var fields = line.split(" +");
            var limits = new InstanceLimits(fields[0], Integer.parseInt(fields[1]), Integer.parseInt(fields[2]));
            if (byType.put(limits.instanceType(), limits) != null) {
                throw new IllegalStateException("instance type listed twice in the limits table: " + limits.instanceType());
            }
        });
        return Collections.unmodifiableMap(byType);
    }
}
