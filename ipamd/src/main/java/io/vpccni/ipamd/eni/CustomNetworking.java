package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.cloud.CloudException;
import io.vpccni.ipamd.cloud.Ec2Api;
import io.vpccni.ipamd.cloud.Subnet;
import io.vpccni.ipamd.k8s.EniConfigs;
import io.vpccni.ipamd.k8s.NodeView;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG}: new ENIs go into the subnet of the node's ENIConfig, with its security
 * groups (the primary ENI's when it names none), and pods get no address on the primary ENI. The ENIConfig is read
 * from the watch's cache at each new ENI, so a changed ENIConfig applies to the next ENI. What is wrong with it is
 * said precisely, since only an operator can fix it: a missing or subnet-less ENIConfig, an unknown subnet, a subnet
 * in another availability zone (EC2 would refuse the attachment, after the ENI was created).
 */
final class CustomNetworking implements EniPlacement {
    private final NodeView node;
    private final EniConfigs configs;
    private final EniConfigName naming;
    private final Ec2Api ec2;
    private final NodeIdentity identity;
    private final String availabilityZone;
    /** Subnets never move between zones: one DescribeSubnets per subnet id for the daemon's life. */
    private final Map<String, Subnet> subnets = new ConcurrentHashMap<>();

    CustomNetworking(NodeView node, EniConfigs configs, EniConfigName naming, Ec2Api ec2, NodeIdentity identity,
                     String availabilityZone) {
        this.node = node;
        this.configs = configs;
        this.naming = naming;
        this.ec2 = ec2;
        this.identity = identity;
        this.availabilityZone = availabilityZone;
    }

    @Override
    public boolean podsOnPrimaryEni() {
        return false;
    }

    @Override
    public List<Placement> candidates() throws PlacementException, CloudException {
        var facts = node.current().orElseThrow(() -> new PlacementException("NodeNotRead",
                "custom networking: the Node object has not been read from the API server yet, so its ENIConfig is unknown"));
        if (!configs.synced()) {
            throw new PlacementException("EniConfigsNotRead", "custom networking: the ENIConfigs have not been read from the "
                    + "API server yet");
        }
        var choice = naming.choose(facts);
        var config = configs.get(choice.name()).orElseThrow(() -> new PlacementException("EniConfigNotFound",
                "custom networking: node " + facts.name() + " uses ENIConfig '" + choice.name() + "' (" + choice.chosenBy()
                        + ") but there is none: create it with the subnet for this node's pods in " + availabilityZone
                        + ", or point the node at an existing one"));
        if (config.subnet().isEmpty()) {
            throw new PlacementException("EniConfigInvalid", "custom networking: ENIConfig '" + config.name()
                    + "' has no spec.subnet: set it to a subnet in " + availabilityZone);
        }
        var subnet = subnet(config.name(), config.subnet());
        if (!availabilityZone.equals(subnet.availabilityZone())) {
            throw new PlacementException("EniConfigWrongZone", "custom networking: ENIConfig '" + config.name()
                    + "' names subnet " + subnet.id() + " in " + subnet.availabilityZone() + ", but node " + facts.name()
                    + " is in " + availabilityZone + ": an ENI attaches only in its own zone. Use an ENIConfig per zone "
                    + "(e.g. ENI_CONFIG_LABEL_DEF=topology.kubernetes.io/zone)");
        }
        var groups = config.securityGroups().isEmpty() ? identity.securityGroupIds() : config.securityGroups();
        return List.of(new Placement(subnet.id(), groups, "ENIConfig " + config.name()));
    }

    private Subnet subnet(String configName, String subnetId) throws PlacementException, CloudException {
        var known = subnets.get(subnetId);
        if (known != null) {
            return known;
        }
        List<Subnet> found;
        try {
            found = ec2.describeSubnets(List.of(subnetId));
        } catch (CloudException e) {
            if (!e.errorCode().filter(code -> code.startsWith("InvalidSubnetID")).isPresent()) {
                throw e;
            }
            found = List.of();
        }
        if (found.isEmpty()) {
            throw new PlacementException("EniConfigInvalid", "custom networking: ENIConfig '" + configName
                    + "' names subnet " + subnetId + ", which EC2 does not know in this account and region");
        }
        subnets.put(subnetId, found.getFirst());
        return found.getFirst();
    }
}
