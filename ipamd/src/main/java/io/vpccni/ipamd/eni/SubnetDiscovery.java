package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.cloud.CloudException;
import io.vpccni.ipamd.cloud.Ec2Api;
import io.vpccni.ipamd.cloud.Filter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * {@code ENABLE_SUBNET_DISCOVERY}: new ENIs go into the tagged subnet of the node's VPC and zone with the most free
 * addresses ({@link SubnetRanking}), with the primary ENI's security groups. One DescribeSubnets per new ENI (ENIs
 * are created rarely, and a stale answer would fill the subnet that looked emptiest). When EC2 cannot list the
 * subnets, or none qualifies, the primary ENI's subnet is used, as upstream does.
 */
final class SubnetDiscovery implements EniPlacement {
    private static final Logger log = LoggerFactory.getLogger(SubnetDiscovery.class);

    private final Ec2Api ec2;
    private final NodeIdentity node;
    private final String vpcId;
    private final String availabilityZone;

    SubnetDiscovery(Ec2Api ec2, NodeIdentity node, String vpcId, String availabilityZone) {
        this.ec2 = ec2;
        this.node = node;
        this.vpcId = vpcId;
        this.availabilityZone = availabilityZone;
    }

    @Override
    public List<Placement> candidates() {
        List<io.vpccni.ipamd.cloud.Subnet> found;
        try {
            found = ec2.findSubnets(List.of(Filter.of("vpc-id", vpcId), Filter.of("availability-zone", availabilityZone)));
        } catch (CloudException e) {
            log.warn("subnet discovery: cannot list the subnets of {} in {}; the new ENI goes into the primary ENI's subnet {}: {}",
                    vpcId, availabilityZone, node.subnetId(), e.getMessage());
            return primary();
        }
        var ranked = SubnetRanking.rank(found, node.subnetId(), node.clusterName());
        if (ranked.isEmpty()) {
            log.warn("subnet discovery: no subnet of {} in {} may take pods (tag one {}=1); using the primary ENI's subnet {}",
                    vpcId, availabilityZone, SubnetRanking.ROLE_TAG, node.subnetId());
            return primary();
        }
        return ranked.stream().map(s -> new Placement(s.id(), node.securityGroupIds(),
                "subnet discovery (" + s.availableIps() + " free addresses)")).toList();
    }

    private List<Placement> primary() {
        return List.of(new Placement(node.subnetId(), node.securityGroupIds(), "the primary ENI's subnet"));
    }
}
