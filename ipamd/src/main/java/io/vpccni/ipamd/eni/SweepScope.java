package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.cloud.EniTags;
import io.vpccni.ipamd.cloud.Filter;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a node looks for leaked ENIs: its own (tagged with its instance id), and, when the cluster has a name, the
 * whole cluster's in the node's VPC (tagged with any instance id and the cluster's name).
 *
 * <p>Without a cluster name there is no cluster scope, unlike upstream, which then sweeps the whole VPC: in a VPC
 * shared by several clusters that would delete ENIs another cluster's daemon created and is about to attach, or
 * whose leaks that cluster's operators want to look at. A node's own tag is the only proof of ownership left then.
 *
 * @param instanceId  this node's instance id
 * @param vpcId       this node's VPC (the primary ENI's); needed only for the cluster scope
 * @param clusterName CLUSTER_NAME, the value of the cluster tag every ENI of the cluster carries
 */
public record SweepScope(String instanceId, String vpcId, Optional<String> clusterName) {
    public SweepScope {
        Objects.requireNonNull(instanceId, "instanceId");
        clusterName = clusterName.filter(n -> !n.isBlank());
        if (clusterName.isPresent() && (vpcId == null || vpcId.isBlank())) {
            throw new IllegalArgumentException("the cluster-wide leak sweep of " + clusterName.get()
                    + " needs the node's VPC id: without it, it would reach the cluster's ENIs in every VPC");
        }
    }

    /** This node's ENIs only, as before there was a cluster scope. */
    public static SweepScope ownNode(String instanceId) {
        return new SweepScope(instanceId, null, Optional.empty());
    }

    /** The DescribeNetworkInterfaces filters for this node's available ENIs. */
    List<Filter> ownNodeFilters() {
        return List.of(Filter.of("tag:" + EniTags.INSTANCE_ID, instanceId), Filter.of("status", "available"));
    }

    /** The filters for every available ENI of the cluster in this VPC; empty without a cluster name. */
    Optional<List<Filter>> clusterFilters() {
        return clusterName.map(name -> List.of(Filter.of("tag-key", EniTags.INSTANCE_ID), Filter.of("status", "available"),
                Filter.of("vpc-id", vpcId), Filter.of("tag:" + EniTags.CLUSTER_NAME, name)));
    }
}
