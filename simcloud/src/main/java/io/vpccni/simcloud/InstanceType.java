package io.vpccni.simcloud;

import java.util.Map;
import java.util.Optional;

/** The network limits of an EC2 instance type that the CNI's pool math depends on. */
public record InstanceType(String name, int maxEnis, int ipv4PerEni, int ipv6PerEni, int networkCards) {

    private static final Map<String, InstanceType> KNOWN = Map.of(
            "t3.medium", new InstanceType("t3.medium", 3, 6, 6, 1),
            "m5.large", new InstanceType("m5.large", 3, 10, 10, 1),
            "m5.xlarge", new InstanceType("m5.xlarge", 4, 15, 15, 1),
            "c5.large", new InstanceType("c5.large", 3, 10, 10, 1),
            "m5.4xlarge", new InstanceType("m5.4xlarge", 8, 30, 30, 1));

    public static Optional<InstanceType> find(String name) {
        return Optional.ofNullable(KNOWN.get(name));
    }

    public static InstanceType of(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException(
                "instance type '" + name + "' is not in the simulator's table " + KNOWN.keySet()));
    }
}
