package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.cloud.CloudException;

import java.util.List;

/**
 * Chooses where the node's next ENI goes: the primary ENI's subnet, a subnet found by tags
 * ({@code ENABLE_SUBNET_DISCOVERY}), or the node's ENIConfig (custom networking). Asked once per new ENI, so the
 * newest ENIConfig and the subnets' free addresses decide.
 */
public interface EniPlacement {
    /**
     * The places to try, best first: when EC2 says one subnet is full the next is tried.
     *
     * @throws PlacementException when no ENI may be created until an operator fixes something
     * @throws CloudException     when EC2 could not be asked (retried with the pool's backoff)
     */
    List<Placement> candidates() throws PlacementException, CloudException;

    /** Whether pods may take addresses on the primary ENI (not under custom networking: its subnet is the node's). */
    default boolean podsOnPrimaryEni() {
        return true;
    }

    /** New ENIs in the primary ENI's subnet with its security groups: upstream's default. */
    static EniPlacement primary(NodeIdentity node) {
        var only = List.of(new Placement(node.subnetId(), node.securityGroupIds(), "the primary ENI's subnet"));
        return () -> only;
    }

    /** {@code ENABLE_SUBNET_DISCOVERY}: the tagged subnets of the node's VPC and zone, most free addresses first. */
    static EniPlacement subnetDiscovery(io.vpccni.ipamd.cloud.Ec2Api ec2, NodeIdentity node, String vpcId, String availabilityZone) {
        return new SubnetDiscovery(ec2, node, vpcId, availabilityZone);
    }

    /** {@code AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG}: the subnet and security groups of the node's ENIConfig. */
    static EniPlacement customNetworking(io.vpccni.ipamd.k8s.NodeView nodeView, io.vpccni.ipamd.k8s.EniConfigs configs,
                                         EniConfigName naming, io.vpccni.ipamd.cloud.Ec2Api ec2, NodeIdentity node,
                                         String availabilityZone) {
        return new CustomNetworking(nodeView, configs, naming, ec2, node, availabilityZone);
    }
}
