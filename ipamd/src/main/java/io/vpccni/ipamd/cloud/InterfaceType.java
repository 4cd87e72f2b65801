package io.vpccni.ipamd.cloud;

import java.util.Locale;

/**
 * What EC2 says an ENI is for ({@code InterfaceType} in DescribeNetworkInterfaces and DescribeInstances). Only a
 * plain {@link #INTERFACE} can carry pod addresses: a trunk ENI carries the VLANs of security-groups-for-pods branch
 * ENIs, an EFA ENI's traffic belongs to its HPC application, an EFA-only ENI has no IP address at all.
 */
public enum InterfaceType {
    INTERFACE("interface"),
    TRUNK("trunk"),
    BRANCH("branch"),
    EFA("efa"),
    EFA_ONLY("efa-only"),
    /** Any other type EC2 knows (NAT gateway, load balancer, Lambda, …): none of them belongs to a node's pods. */
    OTHER("other");

    private final String ec2Name;

    InterfaceType(String ec2Name) {
        this.ec2Name = ec2Name;
    }

    /** EC2's spelling; an absent value is a plain interface, as EC2 describes one created without a type. */
    public static InterfaceType of(String ec2Value) {
        if (ec2Value == null || ec2Value.isBlank()) {
            return INTERFACE;
        }
        var wanted = ec2Value.strip().toLowerCase(Locale.ROOT);
        for (var t : values()) {
            if (t != OTHER && t.ec2Name.equals(wanted)) {
                return t;
            }
        }
        return OTHER;
    }

    @Override
    public String toString() {
        return ec2Name;
    }
}
